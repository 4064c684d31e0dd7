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
	Fix: "docker: remove `--uts host`. Compose: remove `uts: host`. Kubernetes: set " +
		"`hostNetwork: false`, since a pod on the host network also gets the node's UTS namespace.",
	Limits: "Docker's `--network host` and compose's `network_mode: host` keep the container's own " +
		"UTS namespace (the engine copies the host's hostname into it), so they do not fire this " +
		"rule; RT017 reports them.",
	CIS:  "5.20",
	Bad:  "docker run --uts host alpine:3.20",
	Good: "docker run alpine:3.20",
}

func checkHostUTS(c *rt.Container, e *emitter) {
	if c.Source == rt.SourceKubernetes && rt.Is(c.Namespace.UTS, "host") {
		e.at(c.Namespace.UTS.Pos, "the container shares the node's UTS namespace and hostname, "+
			"because hostNetwork: true makes the container runtime drop the pod's own UTS namespace")
		return
	}
	checkHostNamespace(c.Namespace.UTS, e, "uts", "uts: host", "hostNetwork: true")
}
