package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// DangerousCapability fires on an added capability that allows escaping
// the container or controlling the host.
var DangerousCapability = &rule.Rule{
	ID:       "RT004",
	Slug:     "dangerous-capability",
	Title:    "Dangerous capability added",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "The container adds a capability that reaches beyond it: ALL, SYS_ADMIN (mount, " +
		"namespaces, most of the kernel), NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH (the " +
		"open_by_handle_at escape), SYS_RAWIO, BPF, PERFMON, SYS_BOOT, SYS_TIME, MAC_ADMIN, " +
		"MAC_OVERRIDE, SYSLOG or LINUX_IMMUTABLE. Each has been used to escape containers or to " +
		"read and change host state.",
	Fix: "Remove the capability, or replace it with a narrower mechanism (a device, a sysctl, a " +
		"helper on the host). docker: remove `--cap-add SYS_ADMIN`. Compose: remove it from " +
		"`cap_add`. Kubernetes: remove it from `securityContext.capabilities.add`.",
	CIS:  "5.3",
	Bad:  "docker run --cap-drop ALL --cap-add SYS_ADMIN alpine:3.20",
	Good: "docker run --cap-drop ALL --cap-add CHOWN alpine:3.20",
}

// dangerousCapabilities are capabilities that reach the host.
var dangerousCapabilities = map[string]bool{
	"ALL": true, "SYS_ADMIN": true, "NET_ADMIN": true, "SYS_PTRACE": true, "SYS_MODULE": true,
	"DAC_READ_SEARCH": true, "SYS_RAWIO": true, "BPF": true, "PERFMON": true, "SYS_BOOT": true,
	"SYS_TIME": true, "MAC_ADMIN": true, "MAC_OVERRIDE": true, "SYSLOG": true,
	"LINUX_IMMUTABLE": true,
}

func checkDangerousCapability(c *rt.Container, e *emitter) {
	for _, v := range c.Security.CapAdd {
		if v.Known() && dangerousCapabilities[capName(v.V)] {
			e.at(v.Pos, "capability %s is added", capName(v.V))
		}
	}
}
