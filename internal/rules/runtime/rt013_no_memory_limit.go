package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// NoMemoryLimit fires when the container has no memory limit.
var NoMemoryLimit = &rule.Rule{
	ID:       "RT013",
	Slug:     "no-memory-limit",
	Title:    "No memory limit",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "Without a memory limit one container can use all of the host's memory, so a " +
		"leak or an attack makes the kernel's OOM killer stop other containers or host services.",
	Fix: "docker: `--memory 512m`. Compose: `mem_limit: 512m` or `deploy.resources.limits.memory: " +
		"512M`. Kubernetes: `resources.limits.memory: 512Mi`. docker service create: " +
		"`--limit-memory 512M`.",
	CIS:  "5.10",
	Bad:  "docker run alpine:3.20",
	Good: "docker run --memory 512m alpine:3.20",
	Limits: "Kubernetes ephemeral containers are not reported, because the API rejects " +
		"resources on them; they use what the pod already has.",
}

func checkNoMemoryLimit(c *rt.Container, e *emitter) {
	m := c.Resources.Memory
	switch {
	case isEphemeral(c):
	case m.Unknown:
		e.unresolved(m.Pos, "the memory limit comes from %s, so it may be missing or 0 (no limit)",
			unresolvedText(m.Raw))
	case m.Known() && m.V > 0:
	case m.Known():
		e.at(m.Pos, "the memory limit is 0, which means no limit")
	case !hidden(c):
		e.at(rt.Pos{}, "no memory limit is set (%s)",
			cli(c, "--memory", "mem_limit or deploy.resources.limits.memory", "resources.limits.memory"))
	}
}
