package runtime

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

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
	Fix: "Bind to the interface that needs the port, and publish ports one by one instead of " +
		"with `-P`. docker: `-p 127.0.0.1:5432:5432`. Compose: " +
		"`ports: [\"127.0.0.1:5432:5432\"]`. Kubernetes: `hostIP: 127.0.0.1` on the port, or no " +
		"hostPort and a Service instead.",
	Limits: "With `-P` the ports come from the image's EXPOSE instructions, which are named " +
		"only when the image is known (a Dockerfile in the tree, an image in the local engine, a " +
		"live container). Its random host ports are 1024 or above, so RT027 does not apply.",
	CIS:  "5.13",
	Bad:  "docker run -p 5432:5432 postgres:16",
	Good: "docker run -p 127.0.0.1:5432:5432 postgres:16",
}

func checkPortAllInterfaces(c *rt.Container, e *emitter) {
	checkPublishAll(c, e)
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

// checkPublishAll reports -P, which publishes every exposed port on all
// interfaces. The engine picks each host port from its ephemeral range.
func checkPublishAll(c *rt.Container, e *emitter) {
	v := c.PublishAll
	if !v.Set || v.Known() && !v.V {
		return
	}
	flag := "-P (--publish-all)"
	if fromEngine(c) {
		flag = "HostConfig.PublishAllPorts (-P)"
	}
	if !v.Known() {
		e.at(v.Pos, "%s may publish every exposed port on all host interfaces", flag)
		return
	}
	ports, exposes := publishedByAll(c)
	if !exposes {
		return
	}
	e.at(v.Pos, "%s publishes %s on all host interfaces, each on a random host port", flag, ports)
}

// publishedByAll names the ports -P publishes: the container's own
// exposed ports and the image's EXPOSE ports when the image is known. It
// returns false when the image is known completely and nothing is exposed.
func publishedByAll(c *rt.Container) (string, bool) {
	var ports []string
	for _, p := range c.Ports {
		if p.Published || p.Unknown {
			continue
		}
		ports = appendUnique(ports, fmt.Sprintf("%d/%s", p.ContainerPort, cmp.Or(p.Protocol, "tcp")))
	}
	ic := c.ImageConfig
	if ic == nil {
		if len(ports) == 0 {
			return "every port the image EXPOSEs", true
		}
		return strings.Join(ports, ", ") + " and every port the image EXPOSEs", true
	}
	for _, p := range ic.ExposedPorts {
		ports = appendUnique(ports, p)
	}
	switch {
	case len(ports) == 0 && ic.Base != "":
		return "every port its base image " + ic.Base + " EXPOSEs", true
	case ic.Base != "":
		return strings.Join(ports, ", ") + " and every port its base image " + ic.Base + " EXPOSEs", true
	}
	return strings.Join(ports, ", "), len(ports) > 0
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
