package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// NoCPULimit fires when the container has no CPU limit.
var NoCPULimit = &rule.Rule{
	ID:       "RT015",
	Slug:     "no-cpu-limit",
	Title:    "No CPU limit",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "Without a CPU limit one busy container can starve the others and the host. " +
		"CPU shares are a relative weight and only matter under contention, so they do not " +
		"count as a limit; --cpus, a CFS quota or a cpuset do.",
	Fix: "docker: `--cpus 1.5`. Compose: `cpus: 1.5` or `deploy.resources.limits.cpus: \"1.5\"`. " +
		"Kubernetes: `resources.limits.cpu: 1500m`. docker service create: `--limit-cpu 1.5`.",
	CIS:  "5.11",
	Bad:  "docker run --cpu-shares 512 alpine:3.20",
	Good: "docker run --cpus 1.5 alpine:3.20",
	Limits: "Kubernetes ephemeral containers are not reported, because the API rejects " +
		"resources on them; they use what the pod already has.",
}

func checkNoCPULimit(c *rt.Container, e *emitter) {
	r := c.Resources
	if isEphemeral(c) {
		return
	}
	if (r.NanoCPUs.Known() && r.NanoCPUs.V > 0) || (r.CPUQuota.Known() && r.CPUQuota.V > 0) ||
		(r.CPUSetCPUs.Known() && r.CPUSetCPUs.V != "") {
		return
	}
	for _, v := range []rt.Value[int64]{r.NanoCPUs, r.CPUQuota} {
		if v.Unknown {
			e.unresolved(v.Pos, "the CPU limit comes from %s, so it may be missing or 0 (no limit)",
				unresolvedText(v.Raw))
			return
		}
	}
	if r.CPUSetCPUs.Unknown || hidden(c) {
		return
	}
	e.at(rt.Pos{}, "no CPU limit is set (%s)",
		cli(c, "--cpus", "cpus or deploy.resources.limits.cpus", "resources.limits.cpu"))
}
