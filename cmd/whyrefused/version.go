// version.go holds the version string: the one set at release, else the
// module's build information.

package main

import "runtime/debug"

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=...".
var (
	version = ""
	commit  = ""
	date    = ""
)

// versionString is the release version, or else the module's build info.
func versionString() string {
	v, c, d := version, commit, date
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if len(c) > 12 {
		c = c[:12]
	}
	switch {
	case c != "" && d != "":
		return v + " (" + c + ", " + d + ")"
	case c != "":
		return v + " (" + c + ")"
	}
	return v
}
