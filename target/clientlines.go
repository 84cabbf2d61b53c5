// clientlines.go holds the table of the refusal lines of real clients: how
// each names the address it tried, in its own words. docs/targets.md lists
// them for users; testdata/clientlines.txt holds a line of each.

package target

import "github.com/whyrefused/whyrefused/inspect"

// A lineForm is one client's way of naming the address it tried. Its
// pattern's named groups say where each part is:
//
//	addr  HOST:PORT as one word ("[::1]:80", "::1:80", "db:5432")
//	host  a host name or address
//	ip    the address the name became (preferred over host)
//	port  the port
//	proto "tcp" or "udp"
//	list  a comma-separated list of name/address items sharing port
//
// Every match on the line counts: clients that try several addresses print
// one failure per address.
type lineForm struct {
	client  string // who prints it, as a user would name it
	re      string
	proto   inspect.Protocol // the protocol the client always uses, or "" (the proto group, else the caller's)
	defPort uint16           // the client's default port, used (and said to be assumed) when the line names none
}

// lineForms are the clients' forms, most specific first: the first form
// that yields an address gives every address of the line.
var lineForms = []lineForm{
	// Go: "dial tcp 127.0.0.1:5432: connect: connection refused"; a read or
	// write error names LOCAL->REMOTE, and the remote side was tried:
	// "read udp 127.0.0.1:48408->127.0.0.1:53: read: connection refused".
	// gRPC-go ("transport: Error while dialing: dial tcp ...") and kubectl
	// ("Unable to connect to the server: dial tcp ...") print Go's error.
	{client: "Go", re: `\b(?:dial|read|write) (?P<proto>tcp|udp)[46]? (?:\S+->)?(?P<addr>\S+?):? `},
	// Node net and fetch/undici: "connect ECONNREFUSED ::1:3306" (IPv6 not
	// bracketed); an AggregateError lists one such error per address.
	{client: "Node.js", re: `\bECONNREFUSED (?P<addr>[^\s,'"]+)`},
	// libpq (psql, psycopg, PDO pgsql, every libpq binding), 14 and later:
	// `connection to server at "db" (10.0.0.5), port 5432 failed`, and
	// `at "127.0.0.1", port 5432` when the host is an address.
	{client: "psql", re: `server at "(?P<host>[^"]+)"(?: \((?P<ip>[^)]+)\))?, port (?P<port>\d+)`},
	// libpq before 14: `could not connect to server: Connection refused
	// Is the server running on host "db" (10.0.0.5) and accepting TCP/IP
	// connections on port 5432?`.
	{client: "psql", re: `on host "(?P<host>[^"]+)"(?: \((?P<ip>[^)]+)\))? and accepting\s+TCP/IP connections on port (?P<port>\d+)`},
	// PostgreSQL JDBC: "Connection to localhost:5432 refused. Check that
	// the hostname and port are correct".
	{client: "PostgreSQL JDBC", re: `\bConnection to (?P<addr>\S+) refused\b`},
	// MariaDB Connector/J: "Could not connect to address=(host=db)(port=3306)(type=master)".
	{client: "MariaDB JDBC", re: `\(host=(?P<host>[^)]+)\)\(port=(?P<port>\d+)\)`},
	// mysql and mariadb: "ERROR 2002 (HY000): Can't connect to server on
	// '127.0.0.1' (115)" names no port (MySQL 8's "on '127.0.0.1:3307'" does).
	{client: "mysql", re: `Can't connect to (?:MySQL |MariaDB )?server on '(?P<addr>[^']+)'`, proto: inspect.TCP, defPort: 3306},
	// redis-cli: "Could not connect to Redis at 127.0.0.1:6379: Connection refused".
	{client: "redis-cli", re: `Could not connect to Redis at (?P<addr>\S+?): `, proto: inspect.TCP},
	// Python asyncio (and redis-py's asyncio client, aiohttp): "[Errno 111]
	// Connect call failed ('127.0.0.1', 8080)"; ('::1', 8080, 0, 0) for
	// IPv6; "Multiple exceptions: ..." lists each address.
	{client: "Python asyncio", re: `Connect call failed \('(?P<host>[^']+)', (?P<port>\d+)`, proto: inspect.TCP},
	// redis-py: "Error 111 connecting to localhost:6379. Connection refused."
	{client: "redis-py", re: `Error \d+ connecting to (?P<addr>\S+?)\.(?:\s|$)`, proto: inspect.TCP},
	// urllib3 and requests: "HTTPConnectionPool(host='localhost', port=8080): Max retries exceeded".
	{client: "Python requests", re: `host='(?P<host>[^']+)', port=(?P<port>\d+)`, proto: inspect.TCP},
	// OpenSSH ssh, scp, sftp, rsync and git over ssh: "ssh: connect to
	// host 198.18.0.1 port 22: Connection refused".
	{client: "ssh", re: `connect to host (?P<host>\S+) port (?P<port>\d+)\b`, proto: inspect.TCP},
	// OpenBSD netcat: "nc: connect to localhost (127.0.0.1) port 8080 (tcp) failed: Connection refused".
	{client: "nc", re: `connect to (?P<host>\S+)(?: \((?P<ip>[^)]+)\))? port (?P<port>\d+) \((?P<proto>tcp|udp)\) failed`},
	// curl -v, one line per address: "connect to ::1 port 8080 failed: Connection refused".
	{client: "curl", re: `\bconnect to (?P<host>\S+) port (?P<port>\d+) failed`, proto: inspect.TCP},
	// curl: "curl: (7) Failed to connect to localhost port 8080 after 0 ms".
	{client: "curl", re: `Failed to connect to (?P<host>\S+) port (?P<port>\d+)`, proto: inspect.TCP},
	// wget: "Connecting to localhost (localhost)|127.0.0.1|:8080... failed"
	// for a name, "Connecting to [::1]:8080... failed" for an address.
	{client: "wget", re: `Connecting to (?:\S+ \([^)]*\)\|(?P<ip>[^|]+)\|:(?P<port>\d+)|(?P<addr>\S+?))\.\.\. failed`, proto: inspect.TCP},
	// Ruby: `connect(2) for "localhost" port 8080` (TCPSocket) and
	// "connect(2) for [::1]:8080)" (Net::HTTP).
	{client: "Ruby", re: `connect\(2\) for (?:"(?P<host>[^"]+)" port (?P<port>\d+)|(?P<addr>[^\s)]+))`, proto: inspect.TCP},
	// dig +tcp: "Connection to 127.0.0.1#53(127.0.0.1) for example.com failed".
	{client: "dig", re: `Connection to (?P<host>[^\s#]+)#(?P<port>\d+)\(`, proto: inspect.TCP},
	// dig and nslookup over UDP: "communications error to 127.0.0.1#53: connection refused".
	{client: "dig", re: `communications error to (?P<host>[^\s#]+)#(?P<port>\d+)`, proto: inspect.UDP},
	// kubectl: "The connection to the server localhost:8080 was refused".
	{client: "kubectl", re: `connection to the server (?P<addr>\S+) was refused`, proto: inspect.TCP},
	// gRPC C core (Python, Ruby, C++, PHP clients): "failed to connect to
	// all addresses; last error: UNKNOWN: ipv4:127.0.0.1:50051: Failed to
	// connect to remote host: Connection refused"; IPv6 as
	// "ipv6:%5B::1%5D:50051" or "ipv6:[::1]:50051".
	{client: "gRPC", re: `\bipv[46]:(?P<addr>\d[\d.]*:\d+|\[[0-9A-Fa-f:.]+\]:\d+|%5B[0-9A-Fa-f:.]+%5D:\d+)`, proto: inspect.TCP},
	// Apache HttpClient: "Connect to localhost:8080 [localhost/127.0.0.1,
	// localhost/0:0:0:0:0:0:0:1] failed: Connection refused".
	{client: "Java", re: `Connect to \S+?:(?P<port>\d+) \[(?P<list>[^\]]+)\] failed`, proto: inspect.TCP},
	// Java's InetSocketAddress, NAME/ADDRESS:PORT: Netty's "Connection
	// refused: localhost/127.0.0.1:8080", OkHttp's "Failed to connect to
	// localhost/127.0.0.1:8080"; IPv6 unbracketed (0:0:0:0:0:0:0:1:8080).
	{client: "Java", re: `(?:refused: |connect to )[\w.-]*/(?P<addr>[0-9A-Fa-f:.]+:\d+)`, proto: inspect.TCP},
	// .NET: "No connection could be made because the target machine
	// actively refused it. (localhost:5000)"; on Linux "Connection refused
	// (localhost:5000)"; SocketException ends with the address.
	{client: ".NET", re: `(?:actively refused it|Connection refused)\.? \(?(?P<addr>\[[^\]]+\]:\d+|[^\s()\[\]]+:\d+)\)?`, proto: inspect.TCP},
	// PowerShell Test-NetConnection: "WARNING: TCP connect to (127.0.0.1 : 8080) failed".
	{client: "PowerShell", re: `TCP connect to \((?P<host>\S+) : (?P<port>\d+)\) failed`, proto: inspect.TCP},
	// Test-NetConnection's result object: "RemoteAddress : ::1" then "RemotePort : 8080".
	{client: "PowerShell", re: `RemoteAddress\s*:\s*(?P<host>\S+)\s+RemotePort\s*:\s*(?P<port>\d+)`, proto: inspect.TCP},
	// rsync's daemon protocol names no port: "rsync: [Receiver] failed
	// to connect to 198.18.0.9 (198.18.0.9): Connection refused (111)".
	{client: "rsync", re: `rsync: (?:\[\w+\] )?failed to connect to (?P<host>\S+) \((?P<ip>[^)]+)\)`, proto: inspect.TCP, defPort: 873},
	// Android's "failed to connect to bogon/198.18.83.163 (port 7080)".
	{client: "Java", re: `connect to [\w.-]*/(?P<ip>[0-9A-Fa-f:.]+) \(port (?P<port>\d+)\)`, proto: inspect.TCP},
	// PHP streams: "stream_socket_client(): Unable to connect to tcp://127.0.0.1:8080 (Connection refused)".
	{client: "PHP", re: `Unable to connect to (?P<proto>tcp|udp)://(?P<addr>\S+)`},
}

// clientsWithoutAddr are clients whose refusal names no address, or whose
// line was pasted without it: the user is asked for HOST:PORT, told who
// printed the line (and the host, where a host group finds one: telnet
// prints the address it tries, never the port).
var clientsWithoutAddr = []struct{ client, re string }{
	{"ncat", `\bNcat: `},
	{"ssh", `\bssh: connect to host\b`},
	{"curl", `\bcurl: \(7\)`},
	{"wget", `\bConnecting to .*failed`},
	{"nc", `^nc: `},
	{"dig", `no servers could be reached|communications error`},
	{"kubectl", `The connection to the server`},
	{"telnet", `^Trying (?P<host>[^\s.]\S*?)\.\.\.$`},
	{"telnet", `\btelnet: `},
	{"Python", `ConnectionRefusedError|\[Errno 111\]|urlopen error|Errno 61`},
	{"PHP PDO", `SQLSTATE\[`},
	{"mysql connector/j", `CommunicationsException|Communications link failure`}, // lower case: see understood
	{"java", `java\.net\.ConnectException|ConnectException: Connection refused`},
	{"Rust", `\(os error (?:111|61|10061)\)`},
	{"Node.js", `AggregateError|\bECONNREFUSED\b`},
	{".NET", `SocketException|HttpRequestException`},
	{"Ruby", `Errno::ECONNREFUSED`},
	{"psql", `^psql: |\bFATAL: `},
	{"mysql", `^ERROR 200[0-9] \(HY000\)`},
	{"redis", `\bRedis\b`},
	{"Docker", `Docker daemon`},
}

// localSocketForms are lines of clients that tried a local socket (a Unix
// socket, or a Windows named pipe), not a port: not a target whyrefused
// can check.
var localSocketForms = []string{
	`server on socket "(?P<path>[^"]+)"`,            // psql
	`local server through socket '(?P<path>[^']+)'`, // mysql, mariadb
	`\bunix://(?P<path>\S+?)\.?(?:\s|$)`,            // Docker CLI and others
	`Could not connect to Redis at (?P<path>/\S+?): `,
	`\bdial unix (?P<path>\S+?): `,      // Go
	`\bopen (?P<path>//\./pipe/\S+?): `, // Docker CLI on Windows: a named pipe
}

// lookupForms are lines of clients that failed to resolve a name, which
// is not a refused connection. The name group is the name.
var lookupForms = []string{
	`Server lookup failure:\s+(?P<name>[^\s:,]+)`,               // telnet
	`\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN) (?P<name>\S+)`,       // Node
	`Could not resolve host: (?P<name>\S+)`,                     // curl
	`Could not resolve hostname "?(?P<name>[^\s":]+)`,           // ssh, ncat
	`could not translate host name "(?P<name>[^"]+)"`,           // psql
	`Unknown (?:MySQL |MariaDB )?server host '(?P<name>[^']+)'`, // mysql
	`unable to resolve host address .(?P<name>[^’']+)`,          // wget
	`Resolving (?P<name>\S+) \([^)]*\)\.\.\. failed`,            // wget
	`getaddrinfo for host "(?P<name>[^"]+)"`,                    // nc
	`getaddrinfo for (?P<name>\S+) failed`,                      // PHP
	`UnknownHostException: (?P<name>[^\s:]+)`,                   // Java
	`Name resolution of (?P<name>\S+) failed`,                   // PowerShell Test-NetConnection
	`Failed to resolve '(?P<name>[^']+)'`,                       // urllib3 2
	`Could not connect to Redis at (?P<name>\S+?):\d+: (?:Name or service not known|Temporary failure)`,
	`\blookup (?P<name>\S+?)(?: on \S+)?: `, // Go
	`No such host is known`,                 // Windows
	`Temporary failure in name resolution|Name or service not known|nodename nor servname provided|\[Errno -[235]\]`,
}
