# Tools the Podman truth test needs (cmd/whyrefused's
# TestPodman): Debian's podman 4.3 with crun, conmon and
# netavark (its network tool; aardvark-dns is its DNS, unused by the test
# but installed as podman's users have it), which the test runs itself in
# a network and mount namespace of its own, never against the host's
# storage or firewall; nsenter to enter them; uidmap and slirp4netns for
# rootless Podman as users run it. busybox-static and iptables come from
# 18-docker.sh.
. "$(dirname "$0")/../lib.sh"
need podman podman
need crun crun
need conmon conmon
need nsenter util-linux
need newuidmap uidmap
need slirp4netns slirp4netns
for pkg in netavark aardvark-dns; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
  fi
done
