package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// NoPidsLimit fires when the container has no process limit.
var NoPidsLimit = &rule.Rule{
	ID:       "RT016",
	Slug:     "no-pids-limit",
	Title:    "No pids limit",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "Without a pids limit a fork bomb in one container exhausts the host's process " +
		"table and stops every other container and host service from starting processes.",
	Fix: "docker: `--pids-limit 200`. Compose: `pids_limit: 200` or " +
		"`deploy.resources.limits.pids: 200`. docker service create: `--limit-pids 200`. " +
		"Kubernetes has no per-container field; set the kubelet's podPidsLimit.",
	CIS:  "5.28",
	Bad:  "docker run alpine:3.20",
	Good: "docker run --pids-limit 200 alpine:3.20",
	Limits: "Kubernetes containers are not reported, because the limit is a node setting " +
		"(podPidsLimit) that manifests cannot show. podman commands without --pids-limit are " +
		"not reported either, because podman sets a default limit.",
}

func checkNoPidsLimit(c *rt.Container, e *emitter) {
	p := c.Resources.PidsLimit
	switch {
	case c.Source == rt.SourceKubernetes, isPodman(c) && !p.Set:
		// podman applies a default pids limit (2048 in podman 4 and 5).
	case p.Unknown:
		e.unresolved(p.Pos, "the pids limit comes from %s, so it may be 0 or -1 (no limit)",
			unresolvedText(p.Raw))
	case p.Known() && p.V > 0:
	case p.Known():
		e.at(p.Pos, "the pids limit is %d, which means no limit", p.V)
	case !hidden(c):
		e.at(rt.Pos{}, "no pids limit is set (%s)", cli(c, "--pids-limit", "pids_limit", ""))
	}
}
