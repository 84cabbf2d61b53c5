// netns.go holds how a socket's network namespace is shown: the
// NAMESPACE cell of a table, and the netns object of JSON.

package render

import (
	"github.com/whyrefused/whyrefused/inspect"
)

// NetnsJSON is a socket's network namespace in JSON output.
type NetnsJSON struct {
	Inode     uint64         `json:"inode"`
	Name      string         `json:"name"`
	Container *ContainerJSON `json:"container,omitempty"`
	Pod       *PodJSON       `json:"pod,omitempty"`
}

// ContainerJSON is the container that runs in a namespace.
type ContainerJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Runtime string `json:"runtime,omitempty"`
}

// PodJSON is the Kubernetes pod of a namespace.
type PodJSON struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// NewNetnsJSON converts a namespace; nil gives nil.
func NewNetnsJSON(n *inspect.Netns) *NetnsJSON {
	if n == nil {
		return nil
	}
	j := &NetnsJSON{Inode: n.Inode, Name: n.Name}
	if c := n.Container; c != nil {
		j.Container = &ContainerJSON{ID: c.ID, Name: c.Name, Runtime: c.Runtime}
	}
	if p := n.Pod; p != nil {
		j.Pod = &PodJSON{Namespace: p.Namespace, Name: p.Name}
	}
	return j
}

// netnsCell is the NAMESPACE cell: the namespace's name, escaped (it
// comes from file names and the container engine), dim for the host's.
func netnsCell(n *inspect.Netns, o Options) string {
	if n == nil {
		return ""
	}
	name := Escape(n.Name)
	if n.Self {
		return o.paint(ansiDim, name)
	}
	return name
}
