package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// CapabilitiesNotDropped fires when the container keeps the default
// capability set.
var CapabilitiesNotDropped = &rule.Rule{
	ID:       "RT003",
	Slug:     "capabilities-not-dropped",
	Title:    "Capabilities are not dropped",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "Without dropping all capabilities the container keeps the runtime's default set " +
		"(fourteen on Docker, among them CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID and NET_RAW). " +
		"Most services need none of them, and each one widens what a compromised process can do.",
	Fix: "Drop every capability and add back only those the process needs. docker: " +
		"`--cap-drop ALL --cap-add NET_BIND_SERVICE`. Compose: `cap_drop: [ALL]`. Kubernetes: " +
		"`securityContext.capabilities.drop: [ALL]`.",
	CIS:  "5.3",
	Bad:  "docker run alpine:3.20",
	Good: "docker run --cap-drop ALL alpine:3.20",
	Limits: "A command line whose flags come partly from an unresolved variable is not reported, " +
		"because the variable may drop the capabilities.",
}

func checkCapabilitiesNotDropped(c *rt.Container, e *emitter) {
	if dropsAll(c) || hidden(c) || rt.Is(c.Security.Privileged, true) {
		return
	}
	for _, v := range c.Security.CapDrop {
		if v.Unknown {
			e.unresolved(v.Pos, "the dropped capabilities come from %s, so not every capability "+
				"may be dropped", unresolvedText(v.Raw))
			return
		}
	}
	e.at(rt.Pos{}, "not every capability is dropped (%s is missing)",
		cli(c, "--cap-drop ALL", "cap_drop: [ALL]", "capabilities.drop: [ALL]"))
}
