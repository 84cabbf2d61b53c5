// redact_test.go holds the tests of every credential form StripCredentials
// removes, and the fuzzing that plants secrets in hostile text.

package target

import (
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// secretForms are the forms a secret {S} is written in, each as the user may
// paste it, with the bytes S may hold besides letters.
var secretForms = []struct {
	form, specials string
}{
	{"postgres://user:{S}@db.internal/app", " /@?#:"},
	{"redis://:{S}@cache:6379", " /@?#:"},
	{"mysql://root:{S}@10.0.0.5", " /@?#:;&,)"},
	{"user:{S}@db:5432", "/@:"},
	{"admin:{S}@127.0.0.1:80", "/@"},
	{"host=db password={S}", ";&,)@:/"},
	{"Server=db;Pwd={S}", ";&,)@:/"},
	{"pass={S}", ";&,)"},
	{"passphrase={S}", ";&,)"},
	{"PGPASSWORD={S} psql", ";&,)"},
	{"dial tcp 10.0.0.5:5432: connect: connection refused (password={S})", ";&,)"},
	{"mysql -h db -uroot -p{S}", ";&,)@:/"},
	{"curl -u user:{S} http://api:8080/", ";&,):@/"},
	{"curl --user 'user:{S}' http://api:8080/", ";&,):@/ "},
	{"app --password {S} --port 45002", ";&,):@/"},
	{"password: {S}", ";&,):@/"},
	{"Authorization: Bearer {S}", ";&,):@/"},
	{"Authorization: Basic {S}", ";&,):@/"},
	{"curl -H 'Authorization: Bearer {S}' http://api:8080/", ";&,):@/"},
	{"https://bucket.example/o?X-Amz-Signature={S}&x=1", ";,):@/"},
	{"https://svc.example/?sig={S}", ";,):@/"},
	{"https://svc.example/a?x=1&signature={S}", ";,):@/"},
	{"https://svc.example/a?token={S}#top", ";,):@/"},
	{"https://svc.example/a?key={S}", ";,):@/"},
	{`{"user": "bob", "password": "{S}"}`, ";&,):@/ "},
	{`{'password': '{S}', 'host': 'db'}`, ";&,):@/ "},
}

// planted are the secrets tried in a form: a plain one, and one holding
// each of the form's special bytes between two and two letters.
func planted(specials, before, after string) []string {
	out := []string{before + after}
	for _, c := range specials {
		out = append(out, before+string(c)+after)
	}
	return out
}

// TestStripCredentialsForms: in every form, with secrets holding each of
// the bytes that end a value elsewhere, nothing of the secret is left.
func TestStripCredentialsForms(t *testing.T) {
	for _, f := range secretForms {
		for _, secret := range planted(f.specials, "QZ", "JV") {
			in := strings.Replace(f.form, "{S}", secret, 1)
			got := StripCredentials(in)
			if leaked(got, secret) {
				t.Errorf("StripCredentials(%q) = %q: the secret %q shows", in, got, secret)
			}
		}
	}
}

// TestStripCredentialsKeeps: what is not a secret stays.
func TestStripCredentialsKeeps(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://user:a/b@host/db":            "postgres://host/db",
		"user:a@b@host:5432":                     "host:5432",
		"admin:/pw@host:5432":                    "host:5432",
		"admin:@pw@host:5432":                    "host:5432",
		"postgres://user:a b@host/db":            "postgres://host/db",
		"host=db password=a;b port=5432":         "host=db password=*** port=5432",
		"Server=db;Pwd=x;y;Database=app":         "Server=db;Pwd=***",
		"GET /?access_token=AbC1&x=1":            "GET /?access_token=***&x=1",
		"/o?X-Amz-Signature=ab12&X-Amz-Date=1":   "/o?X-Amz-Signature=***&X-Amz-Date=1",
		"mysql -h db -pS3cr3t app":               "mysql -h db -p*** app",
		"curl -u bob:pw http://h/":               "curl -u bob:*** http://h/",
		"app --password hunter2 --port 1":        "app --password *** --port 1",
		"Authorization: Bearer abc.def":          "Authorization: Bearer ***",
		"authorization=Basic dXNlcjpwdw==":       "authorization=Basic ***",
		`{"user":"bob","password":"a\"b","x":1}`: `{"user":"bob","password":***,"x":1}`,
		"monkey=banana db.internal:5432":         "monkey=banana db.internal:5432",
		"dial tcp 127.0.0.1:5432: connect":       "dial tcp 127.0.0.1:5432: connect",
		"git@github.example:22":                  "git@github.example:22",
	} {
		if got := StripCredentials(in); got != want {
			t.Errorf("StripCredentials(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseHidesSecrets: neither the target nor an error quotes a secret,
// and a URL that reads two ways is refused, echoing nothing between its
// "//" and its last '@'.
func TestParseHidesSecrets(t *testing.T) {
	for _, f := range secretForms {
		for _, secret := range planted(f.specials, "QZ", "JV") {
			in := strings.Replace(f.form, "{S}", secret, 1)
			got, err := Parse(in, inspect.TCP, fakeServices)
			if err != nil && leaked(err.Error(), secret) {
				t.Errorf("Parse(%q): error %q shows the secret", in, err)
			}
			if leaked(got.Input+" "+got.Host+" "+got.Scheme+" "+got.Service, secret) {
				t.Errorf("Parse(%q) = %+v: the secret shows", in, got)
			}
		}
	}
	for _, in := range []string{"http://admin:pa/ss@db:80", "http://u:p@host/x@y", "postgres://user:a/b@host", "redis://:a#b@cache:6379"} {
		_, err := Parse(in, inspect.TCP, nil)
		if err == nil || !strings.Contains(err.Error(), "ambiguous URL") {
			t.Errorf("Parse(%q): %v, want an ambiguous URL", in, err)
			continue
		}
		middle := in[strings.Index(in, "//")+2 : strings.LastIndexByte(in, '@')]
		if strings.Contains(err.Error(), middle) {
			t.Errorf("Parse(%q): error %q echoes %q", in, err, middle)
		}
	}
}

// markers are the letters a planted secret is made of; the text around it
// holds none of them.
const markers = "QZJV"

// leaked reports whether any marker letter of secret shows in out.
func leaked(out, secret string) bool {
	for _, c := range secret {
		if strings.ContainsRune(markers, c) && strings.ContainsRune(out, c) {
			return true
		}
	}
	return false
}

// FuzzSecrets plants a secret, in one of the known forms, in hostile text
// around it: no letter of the secret may survive in any field of the
// target or in the error.
func FuzzSecrets(f *testing.F) {
	f.Add("", uint8(0), "ab/c@d", "")
	f.Add("dial tcp", uint8(3), "a@b", ": connect")
	f.Add("Get \"", uint8(5), "a;b", "\": x")
	f.Add("", uint8(11), "a b", "\n")
	f.Fuzz(func(t *testing.T, prefix string, form uint8, raw, suffix string) {
		fm := secretForms[int(form)%len(secretForms)]
		alphabet := markers + fm.specials
		var secret strings.Builder
		secret.WriteByte('Q')
		for _, c := range []byte(raw) {
			secret.WriteByte(alphabet[int(c)%len(alphabet)])
		}
		s := secret.String()
		// The text around holds no marker in either case: host names
		// are compared without case.
		drop := func(r rune) rune {
			if strings.ContainsRune(markers+strings.ToLower(markers), r) {
				return -1
			}
			return r
		}
		in := strings.Map(drop, prefix) + " " + strings.Replace(fm.form, "{S}", s, 1) + " " + strings.Map(drop, suffix)
		if out := StripCredentials(in); leaked(out, s) {
			t.Fatalf("StripCredentials(%q) = %q: the secret shows", in, out)
		}
		for _, proto := range []inspect.Protocol{inspect.TCP, inspect.UDP} {
			got, err := Parse(in, proto, fakeServices)
			if err != nil && leaked(err.Error(), s) {
				t.Fatalf("Parse(%q): error %q shows the secret", in, err)
			}
			if leaked(strings.Join([]string{got.Input, got.Host, got.Scheme, got.Service, got.ServiceSource}, " "), s) {
				t.Fatalf("Parse(%q) = %+v: the secret shows", in, got)
			}
		}
	})
}
