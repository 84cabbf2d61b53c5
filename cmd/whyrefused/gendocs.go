//go:build gendocs

// gendocs.go holds the hidden command that writes the man pages and the
// shell completions, in builds tagged gendocs only, at release time:
//
//	go run -tags gendocs ./cmd/whyrefused gendocs DIR
//
// writes DIR/man/whyrefused.1 (and one page a command: whyrefused-list.1,
// ...) and DIR/completions/whyrefused.{bash,zsh,fish,ps1}. The tag keeps
// the man page generator (github.com/spf13/cobra/doc, and go-md2man with
// it) out of the binary users run.

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func init() {
	extraCommands = append(extraCommands, newGendocsCmd)
}

func newGendocsCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:    "gendocs DIR",
		Short:  "Write the man pages and shell completions into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return gendocs(root, args[0])
		},
	}
}

// gendocs writes the man pages and completions of root into dir.
func gendocs(root *cobra.Command, dir string) error {
	man := filepath.Join(dir, "man")
	comp := filepath.Join(dir, "completions")
	for _, d := range []string{man, comp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "WHYREFUSED", Section: "1", Source: "whyrefused", Manual: "whyrefused manual"}
	if version != "" { // a release: -ldflags "-X main.version=..."
		header.Source += " " + version
	}
	// Same sources, same pages: the date is the commit's where the build
	// says so (GoReleaser and reproducible builds set SOURCE_DATE_EPOCH).
	if sec, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		t := time.Unix(sec, 0).UTC()
		header.Date = &t
	}
	if err := doc.GenManTree(root, header, man); err != nil {
		return err
	}
	for _, c := range []struct {
		file string
		gen  func(*os.File) error
	}{
		{"whyrefused.bash", func(f *os.File) error { return root.GenBashCompletionV2(f, true) }},
		{"whyrefused.zsh", func(f *os.File) error { return root.GenZshCompletion(f) }},
		{"whyrefused.fish", func(f *os.File) error { return root.GenFishCompletion(f, true) }},
		{"whyrefused.ps1", func(f *os.File) error { return root.GenPowerShellCompletionWithDesc(f) }},
	} {
		f, err := os.Create(filepath.Join(comp, c.file))
		if err != nil {
			return err
		}
		err = c.gen(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
