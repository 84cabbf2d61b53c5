// redact.go holds the removal of credentials and secret values from what
// the user gave, before any of it is echoed or stored.

package target

import "strings"

// credentials matches the user information of URLs inside any text, up to
// the last '@' of the authority (a password may hold an '@'); and, for a URL
// whose password holds an unescaped '/' ("u:pa/ss@host"), user:password up
// to the last '@' of the word. The second errs towards hiding too much: in
// "http://host:8080/a@b" it hides "host:8080/a@" from the echoed input (the
// target itself is parsed from the text as given), rather than ever showing
// part of a password.
var credentials = lazyRegexp(`([A-Za-z][A-Za-z0-9+.-]*://)(?:[^/\s?#]*@|[^\s/?#@:]*:[^\s@]*@)`)

// bareCredentials matches user:password@ with no scheme before it
// ("admin:pw@db:5432"), at the start of a word.
var bareCredentials = lazyRegexp(`(^|[\s"'(<,;=])[^\s"'()<>@:/]+:(?:[^\s@/][^\s@]*)?@`)

// secretValues matches key=value secrets in pasted text (a libpq DSN's
// password=... or password='...', a token=... or access_token=... query,
// PGPASSWORD=...): the value is replaced.
var secretValues = lazyRegexp(`(?i)([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key))(\s*=\s*)('[^']*'?|"[^"]*"?|[^\s&;,'")]+)`)

// StripCredentials removes the user:password@ part of every URL in s (and of
// a bare user:password@host), and the values of password=, token= and the
// like.
func StripCredentials(s string) string {
	if !strings.ContainsAny(s, "@=") {
		return s // nothing to hide: each pattern needs an '@' or an '='
	}
	s = credentials().ReplaceAllString(s, "$1")
	s = bareCredentials().ReplaceAllString(s, "$1")
	return secretValues().ReplaceAllString(s, "$1$2***")
}
