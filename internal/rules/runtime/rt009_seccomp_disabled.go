package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// SeccompDisabled fires when seccomp is unconfined, and for Kubernetes
// containers that set no seccomp profile at all.
var SeccompDisabled = &rule.Rule{
	ID:       "RT009",
	Slug:     "seccomp-unconfined",
	Title:    "seccomp disabled",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "With seccomp unconfined every system call reaches the kernel, including the " +
		"ones the default profile blocks because they enabled past container escapes " +
		"(keyctl, add_key, bpf, userfaultfd, unshare, mount, ptrace on older kernels). " +
		"Kubernetes containers with no seccompProfile at pod or container level are reported " +
		"too, because the kubelet runs them Unconfined unless its seccompDefault option is " +
		"enabled. The older seccomp.security.alpha.kubernetes.io annotations do not count: " +
		"Kubernetes 1.19 replaced them with the field, and kubelets since 1.27 ignore them.",
	Fix: "Use the default profile or a custom one. docker: remove `--security-opt " +
		"seccomp=unconfined` or use `--security-opt seccomp=profile.json`. Compose: " +
		"`security_opt: [\"seccomp=profile.json\"]`. Kubernetes: `securityContext.seccompProfile.type: " +
		"RuntimeDefault`.",
	CIS:  "5.21",
	Bad:  "docker run --security-opt seccomp=unconfined alpine:3.20",
	Good: "docker run --security-opt seccomp=default alpine:3.20",
	Limits: "The kubelet's seccompDefault option is a node setting, off unless the kubelet " +
		"configuration turns it on, and no manifest shows it. A Kubernetes container without a " +
		"profile is therefore reported even on nodes that enable it.",
}

func checkSeccompDisabled(c *rt.Container, e *emitter) {
	s := c.Security.Seccomp
	if o, ok := unresolvedOption(c, "seccomp"); ok && !s.Set {
		e.unresolved(o.Pos, "the seccomp profile comes from %s, so seccomp may be disabled",
			unresolvedText(o.Raw))
		return
	}
	switch {
	case s.Known() && s.V.Kind == rt.ProfileUnconfined:
		e.at(s.Pos, "seccomp is disabled (%s)", rawOr(s.Raw, "unconfined"))
	case c.Source == rt.SourceKubernetes && !s.Set && c.Kubernetes != nil && c.Kubernetes.SeccompAnnotation.Set:
		a := c.Kubernetes.SeccompAnnotation
		e.at(a.Pos, "only the annotation %s: %s sets a seccomp profile, and kubelets since "+
			"Kubernetes 1.27 ignore it, so the container runs Unconfined unless the kubelet's "+
			"seccompDefault option is enabled; set securityContext.seccompProfile.type: "+
			"RuntimeDefault instead", a.Raw, a.V)
	case c.Source == rt.SourceKubernetes && !s.Set:
		e.at(c.Pos, "no seccompProfile is set at pod or container level, so the kubelet runs "+
			"the container Unconfined unless its seccompDefault option is enabled")
	}
}

func rawOr(raw, alt string) string {
	if raw != "" {
		return raw
	}
	return alt
}
