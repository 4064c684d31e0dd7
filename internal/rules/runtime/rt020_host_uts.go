package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HostUTS fires when the container joins the host's UTS namespace.
var HostUTS = &rule.Rule{
	ID:          "RT020",
	Slug:        "host-uts",
	Title:       "Host UTS namespace",
	Severity:    finding.Medium,
	Kind:        rule.KindRuntime,
	Description: "The container shares the host's hostname and NIS domain name and, with SYS_ADMIN, can change them for the whole host.",
	Fix:         "docker: remove `--uts host`. Compose: remove `uts: host`. Kubernetes always gives pods their own UTS namespace unless hostNetwork is set.",
	CIS:         "5.20",
	Bad:         "docker run --uts host alpine:3.20",
	Good:        "docker run alpine:3.20",
}

func checkHostUTS(c *rt.Container, e *emitter) {
	checkHostNamespace(c.Namespace.UTS, e, "uts", "uts: host", "hostNetwork: true")
}
