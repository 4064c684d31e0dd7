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
	Limits: "The Docker Engine adds label=disable to privileged containers and to containers " +
		"that share the host's PID or IPC namespace, so live containers and docker inspect " +
		"output report it for them while the command line that started them does not.",
}

func checkSELinuxDisabled(c *rt.Container, e *emitter) {
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
