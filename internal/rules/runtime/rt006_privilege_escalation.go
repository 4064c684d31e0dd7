package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// PrivilegeEscalation fires when no-new-privileges is not set.
var PrivilegeEscalation = &rule.Rule{
	ID:       "RT006",
	Slug:     "privilege-escalation",
	Title:    "Privilege escalation allowed",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "Without no-new-privileges a process in the container can gain privileges " +
		"through setuid and setgid binaries or file capabilities, such as su, sudo or ping. With " +
		"it, the kernel refuses those gains for the whole process tree.",
	Fix: "docker: `--security-opt no-new-privileges`. Compose: `security_opt: " +
		"[\"no-new-privileges:true\"]`. Kubernetes: `securityContext.allowPrivilegeEscalation: false`.",
	CIS:  "5.25",
	Bad:  "docker run alpine:3.20",
	Good: "docker run --security-opt no-new-privileges alpine:3.20",
	Limits: "docker service create has no flag for it; services are not reported. The engine's " +
		"own no-new-privileges default (dockerd --no-new-privileges) is not known from a file.",
}

func checkPrivilegeEscalation(c *rt.Container, e *emitter) {
	nnp := c.Security.NoNewPrivileges
	if rt.Is(nnp, true) || c.Command == "docker service create" {
		return
	}
	if nnp.Unknown {
		e.unresolved(nnp.Pos, "no-new-privileges comes from %s, so privilege escalation may be allowed",
			unresolvedText(nnp.Raw))
		return
	}
	if nnp.Known() {
		what := cli(c, "no-new-privileges=false", "no-new-privileges:false",
			"allowPrivilegeEscalation: true")
		e.at(nnp.Pos, "privilege escalation is allowed (%s)", what)
		return
	}
	if hidden(c) {
		return
	}
	for _, o := range c.Security.Options {
		if o.Unknown && o.Key == "no-new-privileges" {
			e.unresolved(o.Pos, "%s is %s, so privilege escalation may be allowed",
				cli(c, "--security-opt", "security_opt", ""), unresolvedText(o.Raw))
			return
		}
		if o.Unknown {
			return
		}
	}
	e.at(rt.Pos{}, "privilege escalation is allowed: %s is not set",
		cli(c, "--security-opt no-new-privileges", "security_opt: [no-new-privileges:true]",
			"allowPrivilegeEscalation: false"))
}
