// checkops.go holds check's flags for operations: --wait, -f and --format,
// and how --format and --json combine.

package main

import "github.com/spf13/cobra"

// The output formats of check.
const (
	formatTable      = "table"
	formatJSON       = "json"
	formatPrometheus = "prometheus"
)

// addOpsFlags registers --wait, -f and --format on check.
func addOpsFlags(cmd *cobra.Command, o *checkOptions) {
	f := cmd.Flags()
	f.DurationVar(&o.wait, "wait", 0, "retry until every address accepts, for at most this long (such as 30s); exit 1 with the explanation at the end")
	f.StringVarP(&o.file, "file", "f", "", "read the targets and what must hold of them from an expectations `FILE` (- for stdin)")
	f.StringVar(&o.format, "format", "", "output format: table, json or prometheus (node_exporter's textfile collector)")
}

// outputFormat is the format asked for by --format and --json, checked
// against --wait.
func (o *checkOptions) outputFormat() (string, error) {
	format := o.format
	switch {
	case o.wait < 0:
		return "", usagef("--wait must be more than 0, such as 30s")
	case format == "" && o.json:
		format = formatJSON
	case format == "":
		format = formatTable
	case o.json && format != formatJSON:
		return "", usagef("--json and --format %s ask for two formats: give one", format)
	}
	switch format {
	case formatTable, formatJSON:
	case formatPrometheus:
		if o.wait > 0 {
			return "", usagef("--wait and --format prometheus do not go together: the textfile collector wants the state now, not after a wait")
		}
	default:
		return "", usagef("unknown --format %q: give table, json or prometheus", format)
	}
	return format, nil
}
