package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// SharedPropagation fires on a mount with shared propagation.
var SharedPropagation = &rule.Rule{
	ID:       "RT024",
	Slug:     "shared-mount-propagation",
	Title:    "Shared mount propagation",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "With shared (or rshared, or Kubernetes Bidirectional) propagation, mounts the " +
		"container makes below the mount point appear on the host and in other containers, so " +
		"a container can mount over host paths.",
	Fix: "Use the default private propagation. docker: drop `bind-propagation=rshared` or the " +
		"`:rshared` volume option. Compose: drop `bind.propagation: rshared`. Kubernetes: " +
		"`mountPropagation: None` (or HostToContainer when the container must see host mounts).",
	CIS:  "5.19",
	Bad:  "docker run --mount type=bind,src=/mnt,dst=/mnt,bind-propagation=rshared alpine:3.20",
	Good: "docker run --mount type=bind,src=/mnt,dst=/mnt alpine:3.20",
}

func checkSharedPropagation(c *rt.Container, e *emitter) {
	for _, m := range c.Mounts {
		switch m.Propagation {
		case "shared", "rshared", "Bidirectional":
			e.at(m.Pos, "mount %s uses %s propagation", m.Target, m.Propagation)
		}
	}
}
