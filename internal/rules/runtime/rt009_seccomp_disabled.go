package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// SeccompDisabled fires when seccomp is unconfined.
var SeccompDisabled = &rule.Rule{
	ID:       "RT009",
	Slug:     "seccomp-unconfined",
	Title:    "seccomp disabled",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "With seccomp unconfined every system call reaches the kernel, including the " +
		"ones the default profile blocks because they enabled past container escapes " +
		"(keyctl, add_key, bpf, userfaultfd, unshare, mount, ptrace on older kernels).",
	Fix: "Use the default profile or a custom one. docker: remove `--security-opt " +
		"seccomp=unconfined` or use `--security-opt seccomp=profile.json`. Compose: " +
		"`security_opt: [\"seccomp=profile.json\"]`. Kubernetes: `securityContext.seccompProfile.type: " +
		"RuntimeDefault`.",
	CIS:  "5.21",
	Bad:  "docker run --security-opt seccomp=unconfined alpine:3.20",
	Good: "docker run --security-opt seccomp=default alpine:3.20",
}

func checkSeccompDisabled(c *rt.Container, e *emitter) {
	if s := c.Security.Seccomp; s.Known() && s.V.Kind == rt.ProfileUnconfined {
		e.at(s.Pos, "seccomp is disabled (%s)", rawOr(s.Raw, "unconfined"))
	}
}

func rawOr(raw, alt string) string {
	if raw != "" {
		return raw
	}
	return alt
}
