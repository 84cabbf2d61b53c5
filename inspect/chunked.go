// chunked.go holds chunked, a list grown in chunks so that a large scan
// never copies what it holds.

package inspect

// chunkLen is how many items the largest chunk of a chunked list holds;
// the first holds firstChunkLen and each next one twice its predecessor,
// up to chunkLen, so that the many short lists (a namespace's dozen
// listeners) stay small.
const (
	chunkLen      = 512
	firstChunkLen = 16
)

// chunked is a list that grows by whole chunks, never copying what it
// holds: appending tens of thousands of items to a slice allocates about
// five times what they need (each growth is by a quarter), and a
// short-lived process pays for every new page of memory.
type chunked[T any] struct {
	chunks [][]T
	n      int // items held
}

// add appends v.
func (c *chunked[T]) add(v T) {
	// truncate keeps no chunk empty, so only the last may have room.
	if k := len(c.chunks); k == 0 || len(c.chunks[k-1]) == cap(c.chunks[k-1]) {
		size := firstChunkLen
		if k > 0 {
			size = min(chunkLen, 2*cap(c.chunks[k-1]))
		}
		c.chunks = append(c.chunks, make([]T, 0, size))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, v)
	c.n++
}

// truncate keeps the first n items (a dump that starts again drops what
// it had read).
func (c *chunked[T]) truncate(n int) {
	n = max(0, min(n, c.n))
	c.n = n
	kept := 0
	for k := range c.chunks {
		if kept+len(c.chunks[k]) >= n {
			c.chunks[k] = c.chunks[k][:n-kept]
			if n == kept {
				c.chunks = c.chunks[:k]
			} else {
				c.chunks = c.chunks[:k+1]
			}
			return
		}
		kept += len(c.chunks[k])
	}
}

// each calls fn for every item in order, with its index.
func (c *chunked[T]) each(fn func(i int, v *T)) {
	i := 0
	for _, ch := range c.chunks {
		for j := range ch {
			fn(i, &ch[j])
			i++
		}
	}
}
