// redact.go holds the removal of credentials and secret values from what
// the user gave, before any of it is echoed or stored.

package target

import (
	"cmp"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// maskText is what a secret value is replaced with.
const maskText = "***"

// StripCredentials removes from s every credential whyrefused knows the
// form of: the user:password@ part of URLs (a password may hold spaces,
// '/', '?', '#' and '@': everything after the scheme's "//" up to the last
// '@' on the line goes) and of a bare user:password@host; the values of
// password=, pass=, passphrase=, pwd=, secret=, token=, key=, sig= and the
// like (as key=value, key: value, "key": "value" and URL query parameters);
// Authorization and Bearer values; and the passwords of command lines
// (mysql -pPASSWORD, curl -u user:pw, --password X).
//
// It errs towards hiding too much: in "http://host:8080/a@b" it hides
// "host:8080/a@" from the echoed text (the target itself is parsed from
// the text as given), rather than ever showing part of a password.
func StripCredentials(s string) string {
	if !mayHoldSecret(s) {
		return s // nothing to hide, and no pattern to compile
	}
	return stripAll(s)
}

// stripAll applies every pattern of StripCredentials. Each finds its
// spans in the text as given, and the union of them all goes: a pattern
// that has removed its part cannot hide another's secret from the next.
func stripAll(s string) string {
	var spans []span
	spans = urlUserinfoSpans(s, spans)
	for _, m := range bareCredentials().FindAllStringSubmatchIndex(s, -1) {
		spans = append(spans, span{m[3], m[1], false})
	}
	for _, r := range secretRules {
		spans = valueSpans(s, r.re(), r.value, spans)
	}
	return cut(s, spans)
}

// secretWords are the words every secret form but the URL and bare
// user:password@ ones holds (in any case): a text without them, '@', '=',
// white space and a leading '-' holds no secret.
var secretWords = []string{"pass", "pwd", "secret", "token", "key", "sig", "auth", "bearer"}

// mayHoldSecret reports whether s may hold a form that StripCredentials
// removes. It is exact for what the patterns match: they use ASCII case
// folding only (see fold), and so does this.
func mayHoldSecret(s string) bool {
	if strings.ContainsAny(s, "@= \t\n\r\f\v") || strings.HasPrefix(s, "-") {
		return true
	}
	lower := asciiLower(s)
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// asciiLower lowers the ASCII letters of s only.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// A span is a part of a text to remove, or to replace with maskText.
type span struct {
	from, to int
	mask     bool
}

// cut removes the spans from s. Overlapping spans are one, masked if any
// of them is.
func cut(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		cur := spans[i]
		for i++; i < len(spans) && spans[i].from < cur.to; i++ {
			cur.to = max(cur.to, spans[i].to)
			cur.mask = cur.mask || spans[i].mask
		}
		b.WriteString(s[last:cur.from])
		if cur.mask {
			b.WriteString(maskText)
		}
		last = cur.to
	}
	b.WriteString(s[last:])
	return b.String()
}

// fold writes a pattern matching words in any ASCII case. (?i) would also
// fold U+017F into 's' and U+212A into 'k', which mayHoldSecret's check
// does not see.
func fold(words ...string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte('|')
		}
		for _, c := range w {
			if c >= 'a' && c <= 'z' {
				b.WriteString("[" + string(c) + string(c-'a'+'A') + "]")
			} else {
				b.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
	}
	return b.String()
}

// urlScheme finds a URL's "scheme://".
var urlScheme = lazyRegexp(`[A-Za-z][A-Za-z0-9+.-]*://`)

// urlUserinfoSpans adds the userinfo of every URL in s.
func urlUserinfoSpans(s string, spans []span) []span {
	for _, loc := range urlScheme().FindAllStringIndex(s, -1) {
		if n := userinfoLen(s[loc[1]:]); n > 0 {
			spans = append(spans, span{loc[1], loc[1] + n, false})
		}
	}
	return spans
}

// userinfoLen is the length of the userinfo and its '@' at the start of
// seg, the text after a scheme's "//"; 0 when there is none. The user part
// ends at the first ':', '/', '?', '#' or blank. At a ':' a password
// follows, and it may hold anything: the userinfo runs to the last '@'
// before the end of the line, a quote, '<' or '>'. Else a user without a
// password runs to the last '@' before that first delimiter.
func userinfoLen(seg string) int {
	if i := strings.IndexAny(seg, "\n\r\"'<>`"); i >= 0 {
		seg = seg[:i]
	}
	i := strings.IndexAny(seg, ":/?# \t\f\v")
	if i >= 0 && seg[i] != ':' {
		seg = seg[:i]
	}
	return strings.LastIndexByte(seg, '@') + 1
}

// urlUserinfo is the userinfo, with its '@', of the first URL in s as
// StripCredentials reads it, and ambiguous reports whether a URL parser
// (which ends the authority at the first '/', '?' or '#') reads it
// otherwise: "http://u:pa/ss@db" is user u, password pa/ss, host db to
// one, and host u, port pa, path /ss@db to the other.
func urlUserinfo(s string) (userinfo string, ambiguous bool) {
	loc := urlScheme().FindStringIndex(s)
	if loc == nil {
		return "", false
	}
	seg := s[loc[1]:]
	n := userinfoLen(seg)
	authority := seg
	if i := strings.IndexAny(seg, "/?#"); i >= 0 {
		authority = seg[:i]
	}
	return seg[:n], n != strings.LastIndexByte(authority, '@')+1
}

// bareCredentials matches user:password@ with no scheme before it
// ("admin:pw@db:5432", "user:a@b@db", "admin:/pw@db"), at the start of a
// word, up to the word's last '@'. A password starting with "//" is a URL's
// rest, which urlUserinfoSpans judges.
var bareCredentials = lazyRegexp(`(^|[\s"'(<,;=\[{])[^\s"'()<>@:/]+:(?:(?:[^\s/]|/[^\s/])\S*)?@`)

// A secretRule masks the values that follow the matches of a pattern.
type secretRule struct {
	re func() *regexp.Regexp
	// value is where the value after the match m ends, s[i] its first
	// byte: it starts at i too, unless a part of it is kept.
	value func(s string, m []int, i int) (from, to int)
}

// secretKeys are the key names whose values are secret, as a pattern:
// anything ending in password, passwd, passphrase, pass, pwd, secret,
// token, signature or authorization, and key and sig alone or after a
// separator (api_key, X-Api-Key, apikey, but not monkey).
var secretKeys = `(?:[\w.-]*[_.-])?(?:` + fold("key", "sig") + `)|[\w.-]*(?:` +
	fold("password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "signature", "authorization", "apikey", "accesskey") + `)`

// secretRules are the forms of secret values, each masked in turn.
var secretRules = []secretRule{
	// key=value, key: value, "key": "value", 'key': 'value', and URL
	// query parameters (?sig=...&token=...). Group 1 is the character
	// before the key, 2 the key, 3 the separator.
	{lazyRegexp(`(^|[^\w.-])(` + secretKeys + `)(["']?[ \t]*[=:][ \t]*)`), keyValueEnd},
	// "Bearer X", wherever it stands.
	{lazyRegexp(`(?:^|[^\w-])(?:` + fold("bearer") + `)[ \t]+`), wordEnd},
	// mysql -pPASSWORD (the password joined to -p).
	{lazyRegexp(`(?:^|\s)-p`), wordEnd},
	// --password X, -password X and the like, the value after a blank.
	{lazyRegexp(`(?:^|\s)--?(?:` + fold("password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "api-key") + `)[ \t]+`), wordEnd},
	// curl -u user:pw, --user user:pw, --proxy-user user:pw (-U).
	{lazyRegexp(`(?:^|\s)(?:-u|-U|--user|--proxy-user)[ \t]*=?[ \t]*(['"]?)[^\s:'"]*:`), userPasswordEnd},
}

// valueSpans adds, for each match of re, the value after it that value
// finds, to be masked.
func valueSpans(s string, re *regexp.Regexp, value func(s string, m []int, i int) (int, int), spans []span) []span {
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		if from, to := value(s, m, m[1]); to > from {
			spans = append(spans, span{from, to, true})
		}
	}
	return spans
}

// keyValueEnd ends the value of a key=value match: a quoted value at its
// closing quote; in a URL query (the key after '?' or '&', with '=') at
// the next '&', '#', blank or quote; else at the next blank or quote, so
// that a password holding ';', '&', ',' or ')' is masked whole. After an
// Authorization key, an auth scheme (Basic, Bearer, ...) is kept and the
// credential after it masked.
func keyValueEnd(s string, m []int, i int) (int, int) {
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		return i, quotedEnd(s, i)
	}
	key := asciiLower(s[m[4]:m[5]])
	if strings.HasSuffix(key, "authorization") {
		if k := authSchemeLen(s[i:]); k > 0 {
			return wordEnd(s, nil, i+k)
		}
	}
	query := m[3] > m[2] && (s[m[2]] == '?' || s[m[2]] == '&') && strings.Contains(s[m[6]:m[7]], "=")
	stop := " \t\n\r\f\v\"'`"
	if query {
		stop += "&#"
	}
	if j := strings.IndexAny(s[i:], stop); j >= 0 {
		return i, i + j
	}
	return i, len(s)
}

// authSchemes are the HTTP authentication schemes kept before a masked
// credential.
var authSchemes = []string{"bearer", "basic", "digest", "negotiate", "token", "apikey", "aws4-hmac-sha256"}

// authSchemeLen is the length of an auth scheme and the blanks after it at
// the start of s, or 0.
func authSchemeLen(s string) int {
	j := strings.IndexAny(s, " \t")
	if j < 0 {
		return 0
	}
	word := asciiLower(s[:j])
	for _, a := range authSchemes {
		if word == a {
			return len(s) - len(strings.TrimLeft(s[j:], " \t"))
		}
	}
	return 0
}

// quotedEnd is the end of the quoted text that starts at s[i], with its
// closing quote; a backslash escapes the next character. An unclosed quote
// runs to the end.
func quotedEnd(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return len(s)
}

// wordEnd ends a shell word that starts at s[i]: at the first blank
// outside quotes.
func wordEnd(s string, _ []int, i int) (int, int) {
	for j := i; j < len(s); j++ {
		switch s[j] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			return i, j
		case '"', '\'':
			j = quotedEnd(s, j) - 1
		}
	}
	return i, len(s)
}

// userPasswordEnd ends the password of "-u user:pw": at the quote that
// opened the user (group 1), else at the end of the shell word.
func userPasswordEnd(s string, m []int, i int) (int, int) {
	if m[3] > m[2] {
		q := s[m[2]]
		if j := strings.IndexByte(s[i:], q); j >= 0 {
			return i, i + j
		}
		return i, len(s)
	}
	return wordEnd(s, m, i)
}

// outsideCredentials checks that the host, service and scheme of a target
// parsed from a pasted line come from its text outside the credentials:
// in "redis://:pa ss@cache" a URL scraper may read host "ss" out of the
// password, and a piece of a password must never be looked up in DNS.
func outsideCredentials(t Target) error {
	redacted := asciiLower(t.Input)
	for _, part := range []string{t.Host, t.Service, t.Scheme} {
		if part != "" && !containsWord(redacted, asciiLower(part)) {
			return errors.New("the address found lies inside what reads as a credential: give HOST:PORT apart from it, or percent-encode the password")
		}
	}
	return nil
}

// containsWord reports whether word stands in s with no letter, digit,
// '.', '-' or '_' just before or after it: host "q" is not in "mysql".
func containsWord(s, word string) bool {
	inWord := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		from, to := i+j, i+j+len(word)
		if (from == 0 || !inWord(s[from-1])) && (to == len(s) || !inWord(s[to])) {
			return true
		}
		i = from + 1
	}
}

// scrubQuoted replaces each quoted part of msg that is not a piece of
// redacted (the input with its credentials stripped) with "...": an error
// message quotes a piece of what the user gave, and a piece cut out of a
// credential must not be shown. It is applied only when the input held a
// credential.
func scrubQuoted(msg, redacted string) string {
	return quoted().ReplaceAllStringFunc(msg, func(q string) string {
		part, err := strconv.Unquote(q)
		if err != nil || strings.Contains(redacted, part) || strings.Contains(redacted, strings.TrimSuffix(part, "...")) {
			return q
		}
		return `"..."`
	})
}
