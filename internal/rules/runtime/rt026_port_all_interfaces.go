package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// PortAllInterfaces fires on a port published on every host interface.
var PortAllInterfaces = &rule.Rule{
	ID:       "RT026",
	Slug:     "port-all-interfaces",
	Title:    "Port published on all host interfaces",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "A port published without a host address listens on every interface of the " +
		"host, including public ones. Docker's iptables rules bypass host firewalls such as ufw, " +
		"so a development database published this way is open to the network.",
	Fix: "Bind to the interface that needs the port. docker: `-p 127.0.0.1:5432:5432`. Compose: " +
		"`ports: [\"127.0.0.1:5432:5432\"]`. Kubernetes: `hostIP: 127.0.0.1` on the port, or no " +
		"hostPort and a Service instead.",
	CIS:  "5.13",
	Bad:  "docker run -p 5432:5432 postgres:16",
	Good: "docker run -p 127.0.0.1:5432:5432 postgres:16",
}

func checkPortAllInterfaces(c *rt.Container, e *emitter) {
	for _, p := range c.Ports {
		if !p.Published || p.Unknown {
			continue
		}
		switch p.HostIP {
		case "", "0.0.0.0", "::", "[::]":
			e.at(p.Pos, "container port %d is published on every host interface", p.ContainerPort)
		}
	}
}
