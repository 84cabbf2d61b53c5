// bind.go holds the bind-setting hints: for well-known servers, the setting
// that chooses the addresses they listen on.

package match

import (
	"fmt"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// bindSettings name, for well-known servers, the setting that chooses the
// addresses they listen on.
var bindSettings = map[string]string{
	"postgres":     "listen_addresses in postgresql.conf",
	"postmaster":   "listen_addresses in postgresql.conf",
	"mysqld":       "bind-address in my.cnf",
	"mariadbd":     "bind-address in my.cnf",
	"redis-server": "bind in redis.conf",
	"mongod":       "net.bindIp in mongod.conf",
	"sshd":         "ListenAddress in sshd_config",
	"nginx":        "the listen directive",
	"apache2":      "the Listen directive",
	"httpd":        "the Listen directive",
	"memcached":    "its -l option",
	"docker-proxy": "the -p/--publish address of the container",
	"etcd":         "--listen-client-urls",
	"named":        "listen-on in named.conf",
	"dnsmasq":      "listen-address in dnsmasq.conf",
	"sqlservr":     "SQL Server Configuration Manager (TCP/IP, IPAll)",
	"sqlservr.exe": "SQL Server Configuration Manager (TCP/IP, IPAll)",
}

// bindHint names the setting that chooses a well-known server's listen
// addresses, as the end of a suggestion, or "".
func bindHint(ss []inspect.Socket) string {
	for _, s := range ss {
		for _, o := range s.Owners {
			if h, ok := bindSettings[strings.ToLower(o.Name)]; ok {
				return fmt.Sprintf("; %s sets it with %s", o.Name, h)
			}
		}
	}
	return ""
}
