package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// RestartPolicy fires on a restart policy that restarts without bound.
var RestartPolicy = &rule.Rule{
	ID:       "RT028",
	Slug:     "unbounded-restart",
	Title:    "Restart policy without a bound",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "always and unless-stopped restart a container however often it fails, and so " +
		"does on-failure without a maximum. A container that crashes on start, or that an " +
		"attacker crashes on purpose, then loops and loads the host; a bound of at most five " +
		"retries makes the failure visible.",
	Fix: "docker: `--restart on-failure:5`. Compose: `restart: on-failure:5` or " +
		"`deploy.restart_policy: {condition: on-failure, max_attempts: 5}`. Kubernetes " +
		"controllers restart with back-off by design and are not reported.",
	CIS:  "5.14",
	Bad:  "docker run --restart always alpine:3.20",
	Good: "docker run --restart on-failure:5 alpine:3.20",
	Limits: "Kubernetes restart policies are not reported: the kubelet backs off " +
		"exponentially, which bounds the load.",
}

func checkRestartPolicy(c *rt.Container, e *emitter) {
	r := c.Restart
	if !r.Known() || c.Source == rt.SourceKubernetes {
		return
	}
	switch r.V.Name {
	case "always", "unless-stopped":
		e.at(r.Pos, "restart policy %s restarts the container without a bound", r.V.Name)
	case "on-failure":
		switch {
		case r.V.MaxRetries <= 0:
			e.at(r.Pos, "restart policy on-failure has no maximum retry count")
		case r.V.MaxRetries > 5:
			e.at(r.Pos, "restart policy on-failure allows %d retries; use 5 or fewer", r.V.MaxRetries)
		}
	}
}
