package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// Privileged fires on a privileged container.
var Privileged = &rule.Rule{
	ID:       "RT002",
	Slug:     "privileged",
	Title:    "Container is privileged",
	Severity: finding.Critical,
	Kind:     rule.KindRuntime,
	Description: "A privileged container gets every capability, every host device, no seccomp " +
		"or AppArmor confinement and writable /sys and /proc. Its root user can load kernel " +
		"modules, mount the host's disks and escape to the host in one step.",
	Fix: "Remove privileged mode and add only what the workload needs (a single capability or " +
		"device). docker: drop `--privileged`, add `--cap-add NAME` or `--device PATH`. Compose: " +
		"remove `privileged: true`. Kubernetes: `securityContext.privileged: false`.",
	CIS:  "5.4",
	Bad:  "docker run --privileged alpine:3.20",
	Good: "docker run --cap-drop ALL --cap-add NET_BIND_SERVICE alpine:3.20",
}

func checkPrivileged(c *rt.Container, e *emitter) {
	p := c.Security.Privileged
	if p.Unknown {
		e.unresolved(p.Pos, "%s comes from %s, so the container may be privileged",
			cli(c, "--privileged", "privileged", "securityContext.privileged"), unresolvedText(p.Raw))
		return
	}
	if rt.Is(p, true) {
		e.at(p.Pos, "the container is privileged (%s)", cli(c, "--privileged", "privileged: true",
			"securityContext.privileged: true"))
	}
}
