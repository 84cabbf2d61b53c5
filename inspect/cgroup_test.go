// cgroup_test.go holds the tests of the cgroup path, /var/log/pods and proxy argument
// parsers, on fixed strings of every runtime and cgroup driver.

package inspect

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testwine"
)

const (
	testCID = "4f2a9c1e0b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e"
	testUID = "0f7c5b5e-2f7e-4c2b-9d0a-0f2c2a5b5b5b"
)

func TestParseCgroup(t *testing.T) {
	uidUnderscores := "0f7c5b5e_2f7e_4c2b_9d0a_0f2c2a5b5b5b"
	tests := []struct {
		name, text string
		want       cgroupRef
	}{
		{"docker cgroupfs v2", "0::/docker/" + testCID + "\n", cgroupRef{"docker", testCID, ""}},
		{"docker cgroupfs v1", "12:pids:/docker/" + testCID + "\n11:memory:/docker/" + testCID + "\n1:name=systemd:/docker/" + testCID + "\n0::/\n",
			cgroupRef{"docker", testCID, ""}},
		{"docker systemd v2", "0::/system.slice/docker-" + testCID + ".scope\n", cgroupRef{"docker", testCID, ""}},
		{"docker systemd v1", "4:memory:/system.slice/docker-" + testCID + ".scope\n1:name=systemd:/system.slice/docker-" + testCID + ".scope\n",
			cgroupRef{"docker", testCID, ""}},
		{"docker rootless", "0::/user.slice/user-1000.slice/user@1000.service/docker-" + testCID + ".scope\n", cgroupRef{"docker", testCID, ""}},
		{"podman systemd", "0::/machine.slice/libpod-" + testCID + ".scope/container\n", cgroupRef{"podman", testCID, ""}},
		{"podman cgroupfs", "0::/libpod_parent/libpod-" + testCID + "\n", cgroupRef{"podman", testCID, ""}},
		{"podman conmon is not the container", "0::/machine.slice/libpod-conmon-" + testCID + ".scope\n", cgroupRef{}},
		{"nerdctl systemd", "0::/system.slice/nerdctl-" + testCID + ".scope\n", cgroupRef{"nerdctl", testCID, ""}},
		{"containerd kubelet systemd v2",
			"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + uidUnderscores + ".slice/cri-containerd-" + testCID + ".scope\n",
			cgroupRef{"containerd", testCID, testUID}},
		{"containerd kubelet systemd guaranteed v1",
			"10:cpu,cpuacct:/kubepods.slice/kubepods-pod" + uidUnderscores + ".slice/cri-containerd-" + testCID + ".scope\n",
			cgroupRef{"containerd", testCID, testUID}},
		{"kubelet cgroupfs v1", "5:memory:/kubepods/besteffort/pod" + testUID + "/" + testCID + "\n", cgroupRef{"", testCID, testUID}},
		{"kubelet cgroupfs v2", "0::/kubepods/burstable/pod" + testUID + "/" + testCID + "\n", cgroupRef{"", testCID, testUID}},
		{"cri-o systemd", "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + uidUnderscores + ".slice/crio-" + testCID + ".scope\n",
			cgroupRef{"cri-o", testCID, testUID}},
		{"cri-o conmon", "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + uidUnderscores + ".slice/crio-conmon-" + testCID + ".scope\n",
			cgroupRef{"", "", testUID}},
		{"host process v2", "0::/system.slice/sshd.service\n", cgroupRef{}},
		{"host process v1", "9:name=systemd:/\n4:memory:/process_api/b50383240b98135b18a2a89b52995e18\n0::/\n", cgroupRef{}},
		{"a short hex is no ID", "0::/docker/4f2a9c1e0b7d\n", cgroupRef{}},
		{"upper case is no ID", "0::/docker/4F2A9C1E0B7D3A5F6E8C9B0A1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F6A7B8C9D0E\n", cgroupRef{}},
		{"garbage", "not a cgroup file", cgroupRef{}},
		{"empty", "", cgroupRef{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseCgroup(tt.text); got != tt.want {
				t.Errorf("parseCgroup(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestParsePodLogDir(t *testing.T) {
	tests := []struct {
		name string
		want Pod
		ok   bool
	}{
		{"default_web-7d4b9c8f5-x2x9z_" + testUID, Pod{"default", "web-7d4b9c8f5-x2x9z", testUID}, true},
		{"kube-system_coredns-5d78c9869d-abcde_" + testUID, Pod{"kube-system", "coredns-5d78c9869d-abcde", testUID}, true},
		{"default_web_not-a-uid", Pod{}, false},
		{"default_web", Pod{}, false},
		{"a_b_c_" + testUID, Pod{}, false},
		{"_web_" + testUID, Pod{}, false},
	}
	for _, tt := range tests {
		got, ok := parsePodLogDir(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parsePodLogDir(%q) = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPodsByUID(t *testing.T) {
	dir := testwine.TempDir(t)
	for _, n := range []string{"shop_cart-0_" + testUID, "not-a-pod"} {
		if err := os.Mkdir(filepath.Join(dir, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pods := podsByUID(dir)
	if len(pods) != 1 || pods[testUID] != (Pod{"shop", "cart-0", testUID}) {
		t.Errorf("podsByUID = %+v, want only shop/cart-0", pods)
	}
	if got := podsByUID(filepath.Join(dir, "missing")); len(got) != 0 {
		t.Errorf("a missing directory gave pods: %+v", got)
	}
}

func TestNetnsName(t *testing.T) {
	c := &Container{ID: testCID}
	tests := []struct {
		n    Netns
		want string
	}{
		{Netns{Inode: 7, Host: true}, "host"},
		{Netns{Inode: 7, IPNetns: []string{"blue"}, Container: c}, "blue"},
		{Netns{Inode: 7, Container: c, Pod: &Pod{Namespace: "shop", Name: "cart-0"}}, "shop/cart-0"},
		{Netns{Inode: 7, Container: c}, "4f2a9c1e0b7d"},
		{Netns{Inode: 7, Container: &Container{ID: testCID, Name: "web"}}, "web"},
		{Netns{Inode: 4026532281}, "netns:[4026532281]"},
	}
	for _, tt := range tests {
		if got := tt.n.name(); got != tt.want {
			t.Errorf("name of %+v = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestProxyTarget(t *testing.T) {
	args := []string{"/usr/sbin/docker-proxy", "-proto", "tcp", "-host-ip", "0.0.0.0", "-host-port", "8080", "-container-ip", "198.18.200.2", "-container-port", "80"}
	if got := proxyTarget("docker-proxy", args); got != netip.MustParseAddrPort("198.18.200.2:80") {
		t.Errorf("proxyTarget = %v", got)
	}
	if got := proxyTarget("nginx", args); got.IsValid() {
		t.Errorf("nginx is no proxy, got %v", got)
	}
	if got := proxyTarget("docker-proxy", args[:9]); got.IsValid() {
		t.Errorf("no container port, got %v", got)
	}
}
