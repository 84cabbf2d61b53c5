// portranges_windows.go holds the reading of Windows' excluded port ranges,
// through netsh: Windows has no documented API that lists them.

package inspect

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// netshTimeout bounds the netsh runs: a netsh that hangs costs a note, not
// the check.
const netshTimeout = 5 * time.Second

// reservedPorts runs `netsh int ipvN show excludedportrange protocol=P`
// for each family and each protocol f asks for, at once. A run that fails
// is a warning: the other ranges stand.
func reservedPorts(ctx context.Context, f Filter) ([]PortRange, []string) {
	root := os.Getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	netsh := filepath.Join(root, "System32", "netsh.exe") // not a netsh found first on PATH
	type run struct {
		proto  Protocol
		family int
		ranges []PortRange
		err    error
	}
	var runs []*run
	for _, p := range []Protocol{TCP, UDP} {
		for _, fam := range []int{4, 6} {
			if f.wantsProto(p) && f.wantsFamily(fam) {
				runs = append(runs, &run{proto: p, family: fam})
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, netshTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Go(func() {
			out, err := exec.CommandContext(ctx, netsh, "int", fmt.Sprintf("ipv%d", r.family), "show", "excludedportrange",
				"protocol="+string(r.proto)).Output()
			if err == nil {
				r.ranges, err = ParseExcludedPortRanges(string(out), r.proto, r.family)
			}
			r.err = err
		})
	}
	wg.Wait()
	var all []PortRange
	var warnings []string
	failed := 0
	for _, r := range runs {
		if r.err != nil {
			failed++
			warnings = append(warnings, fmt.Sprintf("cannot read the excluded %s port ranges of IPv%d (netsh): %v", r.proto, r.family, r.err))
			continue
		}
		all = append(all, r.ranges...)
	}
	if failed > 1 && failed == len(runs) {
		// netsh is missing or says something else: one note, not four.
		warnings = []string{fmt.Sprintf("cannot read Windows' excluded port ranges (netsh): %v", runs[0].err)}
	}
	return all, warnings
}
