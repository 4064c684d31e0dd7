package runtime

import (
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// DefaultBridge fires when the container uses the default bridge network.
var DefaultBridge = &rule.Rule{
	ID:       "RT039",
	Slug:     "default-bridge-network",
	Title:    "Default bridge network used",
	Severity: finding.Info,
	Kind:     rule.KindRuntime,
	Description: "Every container on Docker's default bridge (docker0) can reach every other " +
		"one on it, and the bridge has no name resolution. A user-defined network per " +
		"application isolates it from unrelated containers.",
	Fix: "Create a network per application. docker: `docker network create app` then " +
		"`--network app`. Compose gives each project its own network by default; remove " +
		"`network_mode: bridge`. Kubernetes uses NetworkPolicies instead.",
	CIS:  "5.29",
	Bad:  "docker run nginx:1.27",
	Good: "docker run --network app nginx:1.27",
	Limits: "Compose services, Kubernetes pods, swarm services and podman containers are " +
		"reported only when they name the bridge network explicitly.",
}

func checkDefaultBridge(c *rt.Container, e *emitter) {
	n := c.Namespace.Network
	switch {
	case n.Unknown:
	case n.Known() && (n.V == "bridge" || n.V == "default"):
		e.at(n.Pos, "the container uses the default bridge network")
	case n.Set:
	case c.Source == rt.SourceCLI && strings.HasPrefix(c.Command, "docker ") &&
		c.Command != "docker service create" && !hidden(c):
		e.at(rt.Pos{}, "no --network is given, so the container joins the default bridge network")
	}
}
