# Tools the probe tests need: nft drops packets inside the test's own
# network namespace, to make a connection time out for real.
. "$(dirname "$0")/../lib.sh"
need nft nftables
