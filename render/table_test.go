// table_test.go holds the test of the table layout.

package render

import (
	"bytes"
	"fmt"
	"testing"
)

// TestWriteTableLayout checks that what writeTable does to spare
// tablewriter work (withLayout, streaming) changes nothing in the output:
// the same table rendered in batch mode, tablewriter measuring the
// columns itself, is the same bytes.
func TestWriteTableLayout(t *testing.T) {
	colour := Options{Color: true}
	big := [][]string{}
	for i := range 300 {
		big = append(big, []string{"tcp", fmt.Sprintf("127.0.0.%d:%d", 1+i%250, 10000+i),
			fmt.Sprint(1000 + i/7), "sleep", "root", colour.paint(ansiYellow, "this host only")})
	}
	tables := map[string]struct {
		header []string
		rows   [][]string
	}{
		"listing": {[]string{"PROTO", "LOCAL ADDRESS", "PID", "PROCESS", "USER", "REACHABLE FROM"}, big},
		"coloured header": {
			[]string{colour.paint(ansiBold, "A"), colour.paint(ansiBold, "LONG HEADER"), "C"},
			[][]string{{"x", colour.paint(ansiDim, "-"), "plain"}, {"yy", "", colour.paint(ansiGreen, "green")}},
		},
		"odd cells": {
			[]string{"A", "B", "C", "D"},
			[][]string{
				{"x", "", "multi\nline", "tab\there"},
				{"y", "", "trailing newline\n", "日本語"},
				{"z", "", colour.paint(ansiYellow, "col") + "\nour", "e\u0301"},
				{"w", "", "a\n\nb", "  spaces  "},
			},
		},
		"lines": {[]string{"A", "B", "C"}, [][]string{
			{"ab\ncd", "x", ""}, {"e", "f\ng", ""}, {"\nh", "", ""}, {"i\n\n", "\n\nj", "k"},
			{"l\n\n\n", "", "m\n\n"}, {"\n", "\n", "\n"}, {"n\n\t\no", "", ""},
		}},
		"short rows": {[]string{"A", "B"}, [][]string{{"only"}, {"1", "2"}, {}}},
		"no rows":    {[]string{"A", "B"}, nil},
	}
	for name, tb := range tables {
		var got, want bytes.Buffer
		if err := writeTable(&got, tb.header, tb.rows); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := renderTable(&want, tb.header, tb.rows); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: writeTable gives\n%q\nwant\n%q", name, got.String(), want.String())
		}
	}
}
