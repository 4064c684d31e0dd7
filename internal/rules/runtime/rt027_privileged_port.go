package runtime

import (
	"strconv"
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// PrivilegedPort fires when a host port below 1024 is published.
var PrivilegedPort = &rule.Rule{
	ID:       "RT027",
	Slug:     "privileged-host-port",
	Title:    "Privileged host port published",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "Host ports below 1024 are reserved for services the host's administrator " +
		"trusts. Publishing one from a container takes it over, such as SSH on 22 or DNS on 53, " +
		"and hides that a container answers there.",
	Fix: "Publish on a port of 1024 or above and let a load balancer or reverse proxy own the " +
		"low port. docker: `-p 8080:80`. Compose: `ports: [\"8080:80\"]`. Kubernetes: " +
		"`hostPort: 8080`, or a Service.",
	CIS:  "5.7",
	Bad:  "docker run -p 127.0.0.1:80:8080 nginx:1.27",
	Good: "docker run -p 127.0.0.1:8080:8080 nginx:1.27",
}

func checkPrivilegedPort(c *rt.Container, e *emitter) {
	for _, p := range c.Ports {
		if !p.Published || p.Unknown || p.HostPort == "" {
			continue
		}
		start, _, _ := strings.Cut(p.HostPort, "-")
		n, err := strconv.Atoi(start)
		if err != nil || n == 0 || n >= 1024 {
			continue
		}
		e.at(p.Pos, "host port %s is below 1024", p.HostPort)
	}
}
