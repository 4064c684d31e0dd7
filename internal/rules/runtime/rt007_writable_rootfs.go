package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// WritableRootfs fires when the root file system is writable.
var WritableRootfs = &rule.Rule{
	ID:       "RT007",
	Slug:     "writable-root-filesystem",
	Title:    "Root file system is writable",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "A writable root file system lets an attacker replace binaries and libraries, " +
		"drop tools and persist until the container is recreated. A read-only root with tmpfs " +
		"or volumes for the few paths that need writes removes that.",
	Fix: "docker: `--read-only --tmpfs /tmp`. Compose: `read_only: true` with `tmpfs: [/tmp]`. " +
		"Kubernetes: `securityContext.readOnlyRootFilesystem: true` with an emptyDir for /tmp.",
	CIS:  "5.12",
	Bad:  "docker run alpine:3.20",
	Good: "docker run --read-only --tmpfs /tmp alpine:3.20",
}

func checkWritableRootfs(c *rt.Container, e *emitter) {
	ro := c.Security.ReadOnlyRootfs
	switch {
	case rt.Is(ro, true):
	case ro.Unknown:
		e.unresolved(ro.Pos, "%s comes from %s, so the root file system may be writable",
			cli(c, "--read-only", "read_only", "readOnlyRootFilesystem"), unresolvedText(ro.Raw))
	case ro.Known():
		e.at(ro.Pos, "the root file system is writable (%s is false)",
			cli(c, "--read-only", "read_only", "readOnlyRootFilesystem"))
	case !hidden(c):
		e.at(rt.Pos{}, "the root file system is writable: %s is not set",
			cli(c, "--read-only", "read_only: true", "readOnlyRootFilesystem: true"))
	}
}
