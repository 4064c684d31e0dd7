package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// SELinuxDisabled fires when SELinux labelling is turned off.
var SELinuxDisabled = &rule.Rule{
	ID:       "RT033",
	Slug:     "selinux-disabled",
	Title:    "SELinux labelling disabled",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "label=disable, or the spc_t (super privileged container) type, runs the " +
		"container without SELinux separation, so on SELinux hosts it can reach host files and " +
		"other containers' files that its label would otherwise deny.",
	Fix: "Keep the default container_t label, or give a custom type that is still confined. " +
		"docker: remove `--security-opt label=disable`. Compose: remove `label:disable` from " +
		"`security_opt`. Kubernetes: remove `seLinuxOptions.type: spc_t`.",
	CIS:  "5.2",
	Bad:  "docker run --security-opt label=disable alpine:3.20",
	Good: "docker run --security-opt label=level:s0:c100,c200 alpine:3.20",
	Limits: "The Docker Engine adds label=disable by itself to privileged containers and to " +
		"containers that share the host's PID or IPC namespace, when no other security option " +
		"is given. Live containers and docker inspect output do not report that option, because " +
		"RT002, RT018 and RT019 report its cause; a label=disable written next to those flags " +
		"cannot be told apart from the engine's and is not reported either.",
}

func checkSELinuxDisabled(c *rt.Container, e *emitter) {
	if engineDisabledLabel(c) {
		return
	}
	for _, v := range c.Security.SELinux {
		if !v.Known() {
			continue
		}
		switch {
		case v.V.Key == "disable":
			e.at(v.Pos, "SELinux labelling is disabled (%s)", rawOr(v.Raw, "label=disable"))
		case v.V.Key == "type" && v.V.Value == "spc_t":
			e.at(v.Pos, "the SELinux type spc_t runs the container unconfined")
		}
	}
}

// engineDisabledLabel reports whether the engine, not the user, wrote the
// only security option label=disable of a live or inspected container.
// The Docker Engine adds it when no security option is given and the
// container is privileged or shares the host's PID or IPC namespace
// (generateSecurityOpt in moby's daemon/create.go). RT002, RT018 and RT019
// report those causes.
func engineDisabledLabel(c *rt.Container) bool {
	if !fromEngine(c) {
		return false
	}
	opts := c.Security.Options
	if len(opts) != 1 || opts[0].Key != "label" || opts[0].Value != "disable" {
		return false
	}
	ns := c.Namespace
	return rt.Is(c.Security.Privileged, true) || rt.Is(ns.PID, "host") || rt.Is(ns.IPC, "host")
}
