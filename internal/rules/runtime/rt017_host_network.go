package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HostNetwork fires when the container joins the host's network namespace.
var HostNetwork = &rule.Rule{
	ID:          "RT017",
	Slug:        "host-network",
	Title:       "Host network namespace",
	Severity:    finding.High,
	Kind:        rule.KindRuntime,
	Description: "The container uses the host's network stack: it can bind any host port, reach services on the host's loopback interface (such as the Engine API or cloud metadata proxies) and sniff host traffic with NET_RAW.",
	Fix:         "Use a bridge or user-defined network and publish only the ports needed. docker: `--network mynet -p 127.0.0.1:8080:8080`. Compose: remove `network_mode: host`. Kubernetes: `hostNetwork: false`.",
	CIS:         "5.9",
	Bad:         "docker run --network host nginx:1.27",
	Good:        "docker run --network appnet nginx:1.27",
}

func checkHostNetwork(c *rt.Container, e *emitter) {
	checkHostNamespace(c.Namespace.Network, e, "network", "network_mode: host", "hostNetwork: true")
}
