# Tools the firewall truth matrix loads real rule sets with, inside the
# test's own network namespaces: nft, iptables/ip6tables (the nft
# backend), ufw, firewalld. /usr/sbin/policy-rc.d keeps the services from
# starting on install: nothing may touch the machine's own firewall.
. "$(dirname "$0")/../lib.sh"
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
fi
need nft nftables
need iptables-nft-restore iptables
need ufw ufw
need firewall-cmd firewalld
