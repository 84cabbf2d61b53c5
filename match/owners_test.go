// owners_test.go holds the tests of how owners are named: in sentences
// and in the parts that render's columns are made of.

package match

import (
	"slices"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// TestOwnerNaming: names and users each once, "?" when unknown; the
// first MaxOwnerPIDs PIDs, then a count of the rest; never the arguments.
func TestOwnerNaming(t *testing.T) {
	s := inspect.Socket{Owners: []inspect.Owner{
		{PID: 10, Name: "nginx", User: "root", Cmdline: []string{"nginx", "--secret=x"}},
		{PID: 11, Name: "nginx", User: "www-data"},
		{PID: 12, Name: "", User: "www-data"},
		{PID: 13, Name: "nginx", User: ""},
		{PID: 14, Name: "nginx", User: "root"},
	}}
	if got, want := OwnerNames(s), []string{"nginx", "?"}; !slices.Equal(got, want) {
		t.Errorf("OwnerNames = %q, want %q", got, want)
	}
	if got, want := OwnerUsers(s), []string{"root", "www-data", "?"}; !slices.Equal(got, want) {
		t.Errorf("OwnerUsers = %q, want %q", got, want)
	}
	pids, more := OwnerPIDs(s)
	if want := []string{"10", "11", "12"}; !slices.Equal(pids, want) || more != 2 {
		t.Errorf("OwnerPIDs = %q, %d; want %q, 2", pids, more, want)
	}
	if got, want := owner(s), "nginx,? (pids 10, 11, 12, 2 more)"; got != want {
		t.Errorf("owner = %q, want %q", got, want)
	}
	one := inspect.Socket{Owners: s.Owners[:1]}
	if got, want := owner(one), "nginx (pid 10)"; got != want {
		t.Errorf("owner = %q, want %q", got, want)
	}
	if pids, more := OwnerPIDs(inspect.Socket{Owners: s.Owners[:3]}); len(pids) != 3 || more != 0 {
		t.Errorf("three owners: OwnerPIDs = %q, %d; want all three, 0 more", pids, more)
	}
}
