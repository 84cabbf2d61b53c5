// version.go holds --version: the release's version, or what go build and
// go install recorded in the binary (module version, VCS revision, time,
// uncommitted changes).

package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=...".
var (
	version = ""
	commit  = ""
	date    = ""
)

// versionString is this binary's version.
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	return versionFrom(version, commit, date, info)
}

// versionFrom is the version a release's flags give, or else what the
// build info holds:
//
//	1.4.0 (commit 0123456789ab, 2026-12-01T20:00:00Z)     a release
//	v1.4.0                                                go install ...@v1.4.0
//	v0.0.0-20261201203431-c2dbdbf86836+dirty (revision c2dbdbf86836, 2026-12-01T20:34:31Z, modified)
//	                                                      go build in a clone
//	devel (no version or revision recorded: built with -buildvcs=false or outside a git clone; go1.26.8)
func versionFrom(relVersion, relCommit, relDate string, info *debug.BuildInfo) string {
	if relVersion != "" {
		return withDetails(relVersion, "commit", short(relCommit), relDate, false)
	}
	var v, rev, at string
	modified := false
	if info != nil {
		if info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = short(s.Value)
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" && rev == "" {
		goVersion := runtime.Version()
		if info != nil && info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		return "devel (no version or revision recorded: built with -buildvcs=false or outside a git clone; " + goVersion + ")"
	}
	if v == "" {
		v = "devel"
	}
	return withDetails(v, "revision", rev, at, modified)
}

// withDetails is "v (what rev, at, modified)", leaving out what is empty.
func withDetails(v, what, rev, at string, modified bool) string {
	var d []string
	if rev != "" {
		d = append(d, what+" "+rev)
	}
	if at != "" {
		d = append(d, at)
	}
	if modified {
		d = append(d, "modified")
	}
	if len(d) == 0 {
		return v
	}
	return v + " (" + strings.Join(d, ", ") + ")"
}

// short is a revision's first 12 hex digits, as git's short form.
func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
