package render

import (
	"bufio"
	"io"
	"strings"

	"github.com/clipperhouse/displaywidth"
)

// Options control text output.
type Options struct {
	// Color adds ANSI colours. The caller decides: on a terminal only, and
	// never when NO_COLOR is set.
	Color bool
	// Cmdline adds each owner's command line. Off by default: arguments
	// carry secrets.
	Cmdline bool
}

// writeTable writes a borderless, left-aligned table in the netstat manner:
// each column as wide as its widest cell (display width, colour codes not
// counted), two spaces between columns, no trailing blanks. A coloured
// cell is followed by a reset after its padding, so that no colour runs
// into the next column.
//
// It aligns by hand rather than with tablewriter: the table has no borders,
// wrapping or merging, and tablewriter spent 20 to 30 ms on a thousand
// rows (most of 'whyrefused list' on a busy host; see the README's
// Performance section).
func writeTable(w io.Writer, header []string, rows [][]string) error {
	all := make([][]string, 0, len(rows)+1)
	all = append(append(all, header), rows...)
	widths := make([]int, len(header))
	cellWidths := make([][]int, len(all))
	for r, row := range all {
		cellWidths[r] = make([]int, len(row))
		for i, c := range row {
			cw := displaywidth.String(stripANSI(c))
			cellWidths[r][i] = cw
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], cw)
		}
	}
	bw := bufio.NewWriter(w)
	var line []byte
	for r, row := range all {
		line = line[:0]
		for i, c := range row {
			line = append(line, c...)
			for range widths[i] - cellWidths[r][i] + 2 {
				line = append(line, ' ')
			}
			if strings.Contains(c, "\x1b[") {
				line = append(line, ansiReset...)
			}
		}
		bw.WriteString(trimLine(string(line)))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// stripANSI drops ANSI escape sequences (CSI: ESC [ ... final byte) from s.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			i += 2
			for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// trimLine drops a table line's trailing padding, and the colour resets
// after it, keeping one reset when the line is coloured.
func trimLine(line string) string {
	line = strings.TrimRight(line, "\n")
	for {
		t := strings.TrimSuffix(strings.TrimRight(line, " "), ansiReset)
		if t == line {
			break
		}
		line = t
	}
	if strings.Contains(line, "\x1b[") {
		line += ansiReset
	}
	return line
}
