package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// UnneededBindCapability fires on NET_BIND_SERVICE when no container port
// needs it.
var UnneededBindCapability = &rule.Rule{
	ID:       "RT005",
	Slug:     "unneeded-net-bind-service",
	Title:    "NET_BIND_SERVICE added but no port below 1024",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "NET_BIND_SERVICE lets a process bind ports below 1024. Every port the container " +
		"declares is 1024 or above, so the capability is not needed. The host port a port is " +
		"published on does not matter: the capability is about ports inside the container.",
	Fix: "Remove the capability. docker: remove `--cap-add NET_BIND_SERVICE`. Compose: remove it " +
		"from `cap_add`. Kubernetes: remove it from `securityContext.capabilities.add`.",
	CIS:  "5.3",
	Bad:  "docker run --cap-drop ALL --cap-add NET_BIND_SERVICE -p 80:8080 nginx:1.27",
	Good: "docker run --cap-drop ALL --cap-add NET_BIND_SERVICE -p 80:80 nginx:1.27",
	Limits: "The rule needs at least one declared container port (published, exposed or a " +
		"Kubernetes containerPort); ports the image exposes are not read.",
}

func checkUnneededBindCapability(c *rt.Container, e *emitter) {
	var added *rt.Value[string]
	for i, v := range c.Security.CapAdd {
		if v.Known() && capName(v.V) == "NET_BIND_SERVICE" {
			added = &c.Security.CapAdd[i]
		}
	}
	if added == nil || len(c.Ports) == 0 {
		return
	}
	for _, p := range c.Ports {
		if p.Unknown || p.ContainerPort < 1024 {
			return
		}
	}
	e.at(added.Pos, "NET_BIND_SERVICE is added but every container port is 1024 or above")
}
