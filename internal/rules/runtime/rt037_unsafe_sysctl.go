package runtime

import (
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// UnsafeSysctl fires on a sysctl that reaches beyond the container.
var UnsafeSysctl = &rule.Rule{
	ID:       "RT037",
	Slug:     "unsafe-sysctl",
	Title:    "Unsafe sysctl",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "kernel.* sysctls change kernel behaviour shared with the host and other " +
		"containers (or are namespaced IPC limits that still let one container take the " +
		"host's shared memory), and net.* sysctls set on a container in the host network " +
		"namespace change the host's network stack.",
	Fix: "Remove the sysctl, or set it on the host where its effect is intended. docker: remove " +
		"`--sysctl kernel.shmmax=...`. Compose: remove it from `sysctls`. Kubernetes: remove " +
		"it from `securityContext.sysctls`; only the kubelet's safe set is allowed by default.",
	Bad:  "docker run --sysctl kernel.shmmax=68719476736 postgres:16",
	Good: "docker run --sysctl net.ipv4.ip_unprivileged_port_start=0 postgres:16",
}

func checkUnsafeSysctl(c *rt.Container, e *emitter) {
	hostNet := rt.Is(c.Namespace.Network, "host")
	for _, s := range c.Sysctls {
		if s.Unknown {
			continue
		}
		switch {
		case strings.HasPrefix(s.Name, "kernel."):
			e.at(s.Pos, "sysctl %s changes kernel settings beyond the container", s.Name)
		case strings.HasPrefix(s.Name, "net.") && hostNet:
			e.at(s.Pos, "sysctl %s changes the host's network stack, because the container uses "+
				"the host network", s.Name)
		}
	}
}
