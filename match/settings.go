// settings.go holds the server-setting hints: for well-known servers, the
// setting that chooses the addresses they listen on and the one that
// chooses the port, found by process name or, when the owners are hidden,
// by the socket's user.

package match

import (
	"fmt"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// serverSetting is where a well-known server is told its addresses and
// its port.
type serverSetting struct {
	bind string // the setting of the listen addresses
	port string // the setting of the port
}

// serverSettings are the well-known servers' settings, keyed by process
// name (lower case). A new server is a row.
var serverSettings = map[string]serverSetting{
	"postgres":     {bind: "listen_addresses in postgresql.conf", port: "port in postgresql.conf"},
	"postmaster":   {bind: "listen_addresses in postgresql.conf", port: "port in postgresql.conf"},
	"mysqld":       {bind: "bind-address in my.cnf", port: "port in my.cnf"},
	"mariadbd":     {bind: "bind-address in my.cnf", port: "port in my.cnf"},
	"redis-server": {bind: "bind in redis.conf", port: "port in redis.conf"},
	"mongod":       {bind: "net.bindIp in mongod.conf", port: "net.port in mongod.conf"},
	"sshd":         {bind: "ListenAddress in sshd_config", port: "Port in sshd_config"},
	"nginx":        {bind: "the listen directive", port: "the listen directive"},
	"apache2":      {bind: "the Listen directive", port: "the Listen directive (ports.conf)"},
	"httpd":        {bind: "the Listen directive", port: "the Listen directive"},
	"memcached":    {bind: "its -l option", port: "its -p option (-U for UDP)"},
	"docker-proxy": {bind: "the -p/--publish address of the container", port: "the -p/--publish port of the container"},
	"etcd":         {bind: "--listen-client-urls", port: "--listen-client-urls"},
	"named":        {bind: "listen-on in named.conf", port: "the port of listen-on in named.conf"},
	"dnsmasq":      {bind: "listen-address in dnsmasq.conf", port: "port in dnsmasq.conf"},
	"rabbitmq":     {bind: "listeners.tcp in rabbitmq.conf", port: "listeners.tcp in rabbitmq.conf"},
	"sqlservr":     {bind: "SQL Server Configuration Manager (TCP/IP, IPAll)", port: "SQL Server Configuration Manager (TCP/IP, TCP Port)"},
	"sqlservr.exe": {bind: "SQL Server Configuration Manager (TCP/IP, IPAll)", port: "SQL Server Configuration Manager (TCP/IP, TCP Port)"},
}

// userServers are the system users that Debian and most distributions run
// a well-known server as: the user of a socket whose owner is hidden
// names the server it likely is.
var userServers = map[string]string{
	"postgres":  "postgres",
	"mysql":     "mysqld",
	"redis":     "redis-server",
	"mongodb":   "mongod",
	"memcache":  "memcached",
	"memcached": "memcached",
	"dnsmasq":   "dnsmasq",
	"bind":      "named",
	"named":     "named",
	"etcd":      "etcd",
	"rabbitmq":  "rabbitmq",
	"mssql":     "sqlservr",
}

// settingHint names a well-known server's setting (chosen by pick) as the
// end of a suggestion, or "". With the owners hidden, the socket's user
// names the server, and the hint says it is inferred.
func settingHint(ss []inspect.Socket, what string, pick func(serverSetting) string) string {
	for _, s := range ss {
		for _, o := range s.Owners {
			if st, ok := serverSettings[strings.ToLower(o.Name)]; ok && pick(st) != "" {
				return fmt.Sprintf("; %s sets %s with %s", o.Name, what, pick(st))
			}
		}
	}
	for _, s := range ss {
		if len(s.Owners) > 0 || s.User == "" {
			continue
		}
		if name, ok := userServers[strings.ToLower(s.User)]; ok {
			if st := serverSettings[name]; pick(st) != "" {
				return fmt.Sprintf("; if it is %s (the socket's user is %s), it sets %s with %s", name, s.User, what, pick(st))
			}
		}
	}
	return ""
}

// bindHint names the setting that chooses a well-known server's listen
// addresses, as the end of a suggestion, or "".
func bindHint(ss []inspect.Socket) string {
	return settingHint(ss, "it", func(st serverSetting) string { return st.bind })
}

// portHint names the setting that chooses a well-known server's port, as
// the end of a suggestion, or "".
func portHint(ss []inspect.Socket) string {
	return settingHint(ss, "its port", func(st serverSetting) string { return st.port })
}
