package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HostCgroup fires on the host cgroup namespace or a custom cgroup parent.
var HostCgroup = &rule.Rule{
	ID:       "RT041",
	Slug:     "host-cgroup",
	Title:    "Host cgroup namespace or custom cgroup parent",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "With the host cgroup namespace the container sees the host's cgroup tree and " +
		"its own place in it. A custom cgroup parent moves the container out of the engine's " +
		"cgroup, where the limits and accounting the operator set up may not apply.",
	Fix: "docker: `--cgroupns private` and no `--cgroup-parent`. Compose: `cgroup: private` and " +
		"no `cgroup_parent`. Kubernetes manages cgroups itself and has no such field.",
	CIS:  "5.24",
	Bad:  "docker run --cgroupns host alpine:3.20",
	Good: "docker run --cgroupns private alpine:3.20",
	Limits: "On cgroup v1 hosts the Docker Engine puts containers in the host cgroup namespace " +
		"unless --cgroupns private is given. Live containers there report it, while a command " +
		"line without --cgroupns does not, and the message of a live container names that " +
		"default. cgroup v2 hosts default to private.",
}

func checkHostCgroup(c *rt.Container, e *emitter) {
	ns := c.Namespace.Cgroup
	switch {
	case !rt.Is(ns, "host"):
	case fromEngine(c):
		// The engine stores its default, so a live container cannot show
		// whether the mode was chosen.
		e.at(ns.Pos, "the container shares the host's cgroup namespace (CgroupnsMode host), "+
			"which is the Docker Engine's default on cgroup v1 hosts when --cgroupns is not "+
			"given; start it with --cgroupns private or compose cgroup: private")
	default:
		e.at(ns.Pos, "the container shares the host's cgroup namespace")
	}
	if p := c.Resources.CgroupParent; p.Known() && p.V != "" {
		e.at(p.Pos, "the container uses the custom cgroup parent %s", p.V)
	}
}
