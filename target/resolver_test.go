// resolver_test.go holds the test of TimeoutResolver.

package target

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// hangingResolver answers only when its context ends.
type hangingResolver struct{}

func (hangingResolver) LookupNetIP(ctx context.Context, _, _ string) ([]netip.Addr, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestTimeoutResolver(t *testing.T) {
	r := TimeoutResolver{R: hangingResolver{}, Timeout: 50 * time.Millisecond}
	start := time.Now()
	_, err := r.LookupNetIP(context.Background(), "ip", "db.test")
	if err == nil || !strings.Contains(err.Error(), "no answer from the resolver within 50ms") {
		t.Errorf("a resolver that never answers: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	ok := TimeoutResolver{R: StaticResolver{"db.test": {netip.MustParseAddr("198.18.0.7")}}, Timeout: time.Second}
	if got, err := ok.LookupNetIP(context.Background(), "ip", "db.test"); err != nil || len(got) != 1 {
		t.Errorf("an answer in time: %v %v", got, err)
	}
}
