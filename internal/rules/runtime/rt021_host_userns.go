package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HostUserns fires when the container opts out of user namespace remapping.
var HostUserns = &rule.Rule{
	ID:          "RT021",
	Slug:        "host-userns",
	Title:       "User namespace disabled",
	Severity:    finding.Medium,
	Kind:        rule.KindRuntime,
	Description: "The container opts out of the engine's user namespace remapping (userns-remap), so root in the container is root on the host again.",
	Fix:         "docker: remove `--userns host`. Compose: remove `userns_mode: host`. Kubernetes: `hostUsers: false` to run the pod in its own user namespace.",
	CIS:         "5.30",
	Bad:         "docker run --userns host alpine:3.20",
	Good:        "docker run alpine:3.20",
}

func checkHostUserns(c *rt.Container, e *emitter) {
	checkHostNamespace(c.Namespace.User, e, "userns", "userns_mode: host", "hostUsers: true")
}
