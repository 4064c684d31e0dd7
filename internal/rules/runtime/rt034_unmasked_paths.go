package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// UnmaskedPaths fires when the masked and read-only system paths are
// turned off.
var UnmaskedPaths = &rule.Rule{
	ID:       "RT034",
	Slug:     "unmasked-system-paths",
	Title:    "Masked system paths disabled",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "The runtime masks parts of /proc and /sys (/proc/kcore, /proc/keys, " +
		"/proc/sysrq-trigger, /sys/firmware, ...) and makes others read-only. " +
		"systempaths=unconfined or procMount: Unmasked removes that, exposing host memory, " +
		"kernel keys and the ability to reboot the host through sysrq.",
	Fix: "docker: remove `--security-opt systempaths=unconfined`. Compose: remove it from " +
		"`security_opt`. Kubernetes: `securityContext.procMount: Default`.",
	Bad:  "docker run --security-opt systempaths=unconfined alpine:3.20",
	Good: "docker run alpine:3.20",
}

func checkUnmaskedPaths(c *rt.Container, e *emitter) {
	if s := c.Security.Systempaths; rt.Is(s, "unconfined") {
		e.at(s.Pos, "masked and read-only system paths are disabled (%s)",
			cli(c, "systempaths=unconfined", "systempaths=unconfined", "procMount: Unmasked"))
	}
}
