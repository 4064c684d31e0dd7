package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// DeprecatedSecurityOpt fires on the KEY:VALUE form of --security-opt.
var DeprecatedSecurityOpt = &rule.Rule{
	ID:       "RT012",
	Slug:     "deprecated-security-opt-syntax",
	Title:    "Deprecated --security-opt colon syntax",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "The KEY:VALUE form of a security option (apparmor:NAME, seccomp:FILE, " +
		"label:type:T) is deprecated in favour of KEY=VALUE. Tools that only understand the " +
		"new form misread it, and a later engine may reject it.",
	Fix: "Write KEY=VALUE. docker: `--security-opt seccomp=profile.json`. Compose: " +
		"`security_opt: [\"seccomp=profile.json\"]`. Kubernetes uses typed fields and has no " +
		"such syntax.",
	Bad:  "docker run --security-opt apparmor:docker-default alpine:3.20",
	Good: "docker run --security-opt apparmor=docker-default alpine:3.20",
}

func checkDeprecatedSecurityOpt(c *rt.Container, e *emitter) {
	for _, o := range c.Security.Options {
		if o.Unknown || o.Separator != ':' || o.Key == "no-new-privileges" {
			continue
		}
		e.at(o.Pos, "security option %q uses the deprecated colon form; write %s=%s", o.Raw, o.Key, o.Value)
	}
}
