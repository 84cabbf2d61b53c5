// lazy.go holds lazyRegexp: the target patterns compile on first use.

package target

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. Most runs (list, --version, a
// plain HOST:PORT) use none of the patterns below, and compiling them all
// at start-up cost every run about 69 KB in 532 allocations.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
