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
# The dynamic busybox package may be what gives busybox: the image needs
# busybox-static's binary, which replaces /bin/busybox.
if ! dpkg -s busybox-static >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null
fi
