// chunked.go holds chunked, a list grown in fixed chunks so that a large
// scan never copies what it holds.

package inspect

// chunkLen is how many items a chunk of a chunked list holds.
const chunkLen = 512

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
	if c.n%chunkLen == 0 { // the last chunk is full (truncate keeps none empty)
		c.chunks = append(c.chunks, make([]T, 0, chunkLen))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, v)
	c.n++
}

// truncate keeps the first n items.
func (c *chunked[T]) truncate(n int) {
	n = max(0, min(n, c.n))
	c.n = n
	full := n / chunkLen
	if n%chunkLen != 0 {
		c.chunks[full] = c.chunks[full][:n%chunkLen]
		full++
	}
	c.chunks = c.chunks[:full]
}

// each calls fn with each item's index and a pointer to it, in order.
func (c *chunked[T]) each(fn func(i int, v *T)) {
	for k, ch := range c.chunks {
		for j := range ch {
			fn(k*chunkLen+j, &ch[j])
		}
	}
}
