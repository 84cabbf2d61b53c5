// pods.go holds the reading of kubelet's /var/log/pods: which pod
// namespace and name a pod UID has, without asking the API server.

package inspect

import (
	"os"
	"strings"
)

// parsePodLogDir reads a directory name of /var/log/pods:
// "<namespace>_<pod>_<uid>". Namespaces and pod names are DNS labels and
// subdomains, which have no "_", so the name splits in three.
func parsePodLogDir(name string) (Pod, bool) {
	parts := strings.Split(name, "_")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || !isUUID(parts[2]) {
		return Pod{}, false
	}
	return Pod{Namespace: parts[0], Name: parts[1], UID: parts[2]}, true
}

// podsByUID lists the pods that kubelet keeps logs for under dir
// (/var/log/pods), by UID. A missing directory is no pods.
func podsByUID(dir string) map[string]Pod {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	pods := make(map[string]Pod, len(ents))
	for _, e := range ents {
		if p, ok := parsePodLogDir(e.Name()); ok && e.IsDir() {
			pods[p.UID] = p
		}
	}
	return pods
}
