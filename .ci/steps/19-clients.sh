# The real clients whose refusal lines target/realclients_linux_test.go reads
# (each is run against a closed port on loopback), and the UDP servers that
# probe/udprequest_linux_test.go asks in their own protocol (in a network
# namespace; policy-rc.d keeps the packages' services from starting).
. "$(dirname "$0")/../lib.sh"
need psql postgresql-client
need redis-cli redis-tools
need curl curl
need wget wget
need mariadb mariadb-client
need ssh openssh-client
need nc netcat-openbsd
need ncat ncat
need telnet telnet
need dig dnsutils
need python3 python3
need ruby ruby
need php php-cli
need node nodejs
need memcached memcached
need dnsmasq dnsmasq-base
# Python client libraries, for Debian's python3.
for mod in redis requests psycopg2; do
  if ! /usr/bin/python3 -c "import $mod" 2>/dev/null; then
    if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "python3-$mod" >/dev/null
  fi
done
