# Tools the namespace and container tests need (cmd/whyrefused's
# TestDockerPublishedPort, TestDNATIntoNamespace): real Docker, which the
# test starts itself inside a network namespace of its own, never in the
# host's; a static busybox to import as the image; iptables-nft for the
# plain DNAT mapping. policy-rc.d keeps the package's own dockerd from
# starting on install.
. "$(dirname "$0")/../lib.sh"
need dockerd docker.io
need docker docker.io
need busybox busybox-static
need iptables-nft iptables
# busybox (the dynamic one) may already be installed: the image needs the
# static binary, which busybox-static puts at /bin/busybox.
if ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null
fi
