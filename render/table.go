// table.go holds the table layout (tablewriter v1, its only importer) and
// the render Options.

package render

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

func init() {
	// tablewriter keeps display widths in an LRU cache. Every cell of a
	// listing is a new string, so the cache only costs: without it a
	// 1,000-row table renders in about 16 ms instead of 22 ms.
	twwidth.SetCacheCapacity(0)
}

// Options control text output.
type Options struct {
	// Color adds ANSI colours. The caller decides: on a terminal only, and
	// never when NO_COLOR is set.
	Color bool
	// Cmdline adds each owner's command line. Off by default: arguments
	// carry secrets.
	Cmdline bool
	// Namespaces adds the NAMESPACE column to listings (list -A).
	Namespaces bool
}

// writeTable writes a borderless, left-aligned table in the netstat manner,
// with no trailing blanks.
//
// The table is streamed: tablewriter writes each row as it is appended,
// with the widths withLayout measured, and keeps nothing per row (in batch
// mode it keeps every row's lines, merge states and widths until the end).
// That is an eighth fewer instructions.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	return renderTable(w, header, rows, withLayout(header, rows),
		tablewriter.WithStreaming(tw.StreamConfig{Enable: true}))
}

// renderTable renders the table with tablewriter, adding opts to the
// options every table here shares.
func renderTable(w io.Writer, header []string, rows [][]string, opts ...tablewriter.Option) error {
	// Streamed through a small buffer: a listing can have thousands of
	// lines, and stdout is not buffered.
	lw := &lineTrimmer{out: bufio.NewWriterSize(w, 64<<10)}
	pad := tw.CellPadding{Global: tw.Padding{Right: columnGap, Overwrite: true}}
	t := tablewriter.NewTable(lw, append([]tablewriter.Option{
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.SeparatorsNone,
				Lines:      tw.LinesNone,
			},
		})),
		tablewriter.WithConfig(tablewriter.Config{
			Header: tw.CellConfig{
				Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
				Formatting: tw.CellFormatting{AutoFormat: tw.Off},
				Padding:    pad,
			},
			Row: tw.CellConfig{
				Alignment: tw.CellAlignment{Global: tw.AlignLeft},
				Padding:   pad,
			},
		}),
		tablewriter.WithTrimSpace(tw.Off),
	}, opts...)...)
	stream := t.Config().Stream.Enable
	if stream {
		if err := t.Start(); err != nil {
			return err
		}
	}
	t.Header(header)
	for _, row := range rows {
		if stream {
			row = dropBlankLines(row)
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if stream {
		if err := t.Close(); err != nil {
			return err
		}
	} else if err := t.Render(); err != nil {
		return err
	}
	return lw.flush()
}

// dropBlankLines removes from a row of multi-line cells each line after
// the first that is empty in every cell. A batch table skips such lines
// (Behavior.TrimLine); a streamed one prints them.
func dropBlankLines(row []string) []string {
	if !slices.ContainsFunc(row, func(c string) bool { return strings.Contains(c, "\n") }) {
		return row
	}
	lines := make([][]string, len(row))
	n := 0
	for i, cell := range row {
		lines[i] = strings.Split(cell, "\n")
		n = max(n, len(lines[i]))
	}
	kept := make([][]string, len(row))
	line := func(i, j int) string {
		if j < len(lines[i]) {
			return lines[i][j]
		}
		return ""
	}
	for j := range n {
		blank := j > 0
		for i := range row {
			blank = blank && line(i, j) == ""
		}
		if blank {
			continue
		}
		for i := range row {
			kept[i] = append(kept[i], line(i, j))
		}
	}
	out := make([]string, len(row))
	for i := range kept {
		out[i] = strings.Join(kept[i], "\n")
	}
	return out
}

// columnGap is the blank after each column: two spaces, as netstat does.
const columnGap = "  "

// withLayout gives tablewriter the column widths (the widest line of each
// column plus the gap) and the padding that fills them, and turns
// wrapping off (tablewriter.Config cannot: WrapNone is its zero value).
//
// Given only the padding "  ", Blueprint fills a cell's gap with whole
// copies of it, overshooting, then cuts every cell back to the column
// width, rune by rune through a bytes.Buffer. With the widths known, a
// one-space padding fills exactly and nothing is cut: a seventh fewer
// instructions. A column with colour codes keeps the "  " padding: the cut
// is what puts a colour reset after such a cell's blank, and the output
// stays the same bytes. Not the last column: lineTrimmer drops its blank
// with the resets.
func withLayout(header []string, rows [][]string) tablewriter.Option {
	cols := len(header)
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	widths := tw.NewMapper[int, int]()
	headerPad := make([]tw.Padding, cols)
	rowPad := make([]tw.Padding, cols)
	measure := func(i int, cell string, pad []tw.Padding) {
		for line := range strings.SplitSeq(cell, "\n") {
			widths.Set(i, max(widths.Get(i), twwidth.Width(line)+len(columnGap)))
		}
		if i < cols-1 && strings.Contains(cell, "\x1b") {
			pad[i] = tw.Padding{Right: columnGap, Overwrite: true}
		}
	}
	for i, cell := range header {
		measure(i, cell, headerPad)
	}
	for _, row := range rows {
		for i, cell := range row {
			measure(i, cell, rowPad)
		}
	}
	plain := tw.CellPadding{Global: tw.Padding{Right: " ", Overwrite: true}}
	return func(t *tablewriter.Table) {
		t.Configure(func(c *tablewriter.Config) {
			c.Widths.PerColumn = widths
			c.Header.Formatting.AutoWrap = tw.WrapNone
			c.Row.Formatting.AutoWrap = tw.WrapNone
			c.Header.Padding, c.Row.Padding = plain, plain
			c.Header.Padding.PerColumn = headerPad
			c.Row.Padding.PerColumn = rowPad
		})
	}
}

// lineTrimmer writes each complete line written to it without its
// trailing padding. Blueprint writes whole lines, so a line is copied only
// when it comes in pieces.
type lineTrimmer struct {
	out     *bufio.Writer
	partial []byte // the start of a line not yet ended
}

func (l *lineTrimmer) Write(p []byte) (int, error) {
	n := len(p)
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.partial = append(l.partial, p...)
			return n, nil
		}
		line := p[:i]
		if len(l.partial) > 0 {
			l.partial = append(l.partial, line...)
			line = l.partial
		}
		l.writeLine(line)
		l.partial, p = l.partial[:0], p[i+1:]
	}
}

// flush writes a last unended line, if any, and flushes the buffer; it
// returns the first write error (a bufio.Writer keeps it).
func (l *lineTrimmer) flush() error {
	if len(l.partial) > 0 {
		l.writeLine(l.partial)
	}
	return l.out.Flush()
}

// writeLine writes a table line and a newline, dropping its trailing
// padding and the colour resets that tablewriter puts after it, keeping
// one reset when the line is coloured.
func (l *lineTrimmer) writeLine(line []byte) {
	for {
		t := bytes.TrimSuffix(bytes.TrimRight(line, " "), []byte(ansiReset))
		if len(t) == len(line) {
			break
		}
		line = t
	}
	l.out.Write(line)
	if bytes.Contains(line, []byte("\x1b[")) {
		l.out.WriteString(ansiReset)
	}
	l.out.WriteByte('\n')
}
