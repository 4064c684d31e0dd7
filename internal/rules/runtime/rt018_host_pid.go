package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HostPID fires when the container joins the host's PID namespace.
var HostPID = &rule.Rule{
	ID:          "RT018",
	Slug:        "host-pid",
	Title:       "Host PID namespace",
	Severity:    finding.High,
	Kind:        rule.KindRuntime,
	Description: "The container sees every process on the host and, with ptrace or a shared user, can signal, inspect and inject into them; /proc/PID/root of a host process opens the host's file system.",
	Fix:         "docker: remove `--pid host`. Compose: remove `pid: host`. Kubernetes: `hostPID: false`.",
	CIS:         "5.15",
	Bad:         "docker run --pid host alpine:3.20",
	Good:        "docker run alpine:3.20",
}

func checkHostPID(c *rt.Container, e *emitter) {
	checkHostNamespace(c.Namespace.PID, e, "pid", "pid: host", "hostPID: true")
}
