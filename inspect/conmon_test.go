// conmon_test.go holds the tests of the reading of conmon's arguments,
// on the command lines of rootless Podman 4.3 and of CRI-O.

package inspect

import (
	"strings"
	"testing"
)

func TestConmonContainer(t *testing.T) {
	const id = "c39d4018791c517661fde8c5db206364a2f5dd6f0bfdb9f1aac0f1be2fc300d4"
	for _, tt := range []struct {
		cmdline string
		want    Container
		ok      bool
	}{
		// Rootless Podman 4.3, as measured (abridged).
		{"/usr/bin/conmon --api-version 1 -c " + id + " -u " + id + " -r /usr/bin/crun -b /home/u/.local/share/containers/storage/vfs-containers/" + id +
			"/userdata -n rl0 --exit-dir /run/user/1000/libpod/tmp/exits --full-attach -l k8s-file:/x/ctr.log --runtime-arg --log-format=json --runtime-arg -n" +
			" --exit-command /usr/bin/podman --exit-command-arg --root --exit-command-arg -c --exit-command-arg container --exit-command-arg cleanup --exit-command-arg " + id,
			Container{ID: id, Name: "rl0", Runtime: "podman"}, true},
		{"/usr/bin/conmon -b /run/containers/storage/overlay-containers/" + id + "/userdata --cid=" + id + " --name=k8s_web_cart-0_shop_1 -r /usr/bin/runc",
			Container{ID: id, Name: "k8s_web_cart-0_shop_1", Runtime: "cri-o"}, true},
		{"/usr/bin/conmon -c short -n x", Container{}, false},
		{"/usr/bin/conmon -c", Container{}, false},
	} {
		got, ok := conmonContainer(strings.Fields(tt.cmdline))
		if ok != tt.ok || got.ID != tt.want.ID || got.Name != tt.want.Name || got.Runtime != tt.want.Runtime {
			t.Errorf("conmonContainer(%.60q...) = %+v, %v; want %+v, %v", tt.cmdline, got, ok, tt.want, tt.ok)
		}
	}
}
