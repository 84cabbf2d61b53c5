# What the firewalld tests run: the real firewalld daemon and firewall-cmd,
# and the private D-Bus system bus they talk over (dbus-daemon), started
# only inside the tests' own network and mount namespaces (unshare and
# nsenter, util-linux): cmd/whyrefused/firewalld_lab_linux_test.go.
# Installing firewalld must not start it on this machine, where it would
# take over the machine's own firewall: /usr/sbin/policy-rc.d (made by
# 16-firewall-tools.sh, which runs first) keeps services from starting.
. "$(dirname "$0")/../lib.sh"
if [ ! -x /usr/sbin/policy-rc.d ]; then
  echo "16-firewalld.sh: no /usr/sbin/policy-rc.d: installing firewalld would start it on this machine" >&2
  exit 1
fi
need firewalld firewalld
need firewall-cmd firewalld
need dbus-daemon dbus-daemon
need unshare util-linux
need nsenter util-linux
