package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// AppArmorDisabled fires when AppArmor is unconfined.
var AppArmorDisabled = &rule.Rule{
	ID:       "RT011",
	Slug:     "apparmor-unconfined",
	Title:    "AppArmor disabled",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "With AppArmor unconfined the container loses the docker-default profile, which " +
		"denies writes to /proc and /sys, mount, and access to host paths that namespaces alone " +
		"do not protect.",
	Fix: "Use the default profile or a custom one. docker: remove `--security-opt " +
		"apparmor=unconfined` or use `--security-opt apparmor=my-profile`. Compose: " +
		"`security_opt: [\"apparmor=my-profile\"]`. Kubernetes: `securityContext.appArmorProfile.type: " +
		"RuntimeDefault`.",
	CIS:  "5.1",
	Bad:  "docker run --security-opt apparmor=unconfined alpine:3.20",
	Good: "docker run --security-opt apparmor=docker-default alpine:3.20",
}

func checkAppArmorDisabled(c *rt.Container, e *emitter) {
	if o, ok := unresolvedOption(c, "apparmor"); ok && !c.Security.AppArmor.Set {
		e.unresolved(o.Pos, "the AppArmor profile comes from %s, so AppArmor may be disabled",
			unresolvedText(o.Raw))
		return
	}
	if a := c.Security.AppArmor; a.Known() && a.V.Kind == rt.ProfileUnconfined {
		e.at(a.Pos, "AppArmor is disabled (%s)", rawOr(a.Raw, "unconfined"))
	}
}
