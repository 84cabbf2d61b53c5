# Tools the legacy x_tables tests need: iptables-legacy-restore and -save
# (the iptables package) load and print legacy tables inside the tests'
# own network namespaces; nft loads nf_tables beside them.
. "$(dirname "$0")/../lib.sh"
need iptables-legacy-restore iptables
need ip6tables-legacy-restore iptables
need nft nftables
