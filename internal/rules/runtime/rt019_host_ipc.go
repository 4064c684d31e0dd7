package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HostIPC fires when the container joins the host's IPC namespace.
var HostIPC = &rule.Rule{
	ID:          "RT019",
	Slug:        "host-ipc",
	Title:       "Host IPC namespace",
	Severity:    finding.High,
	Kind:        rule.KindRuntime,
	Description: "The container shares System V IPC and POSIX shared memory with the host, so it can read and change the shared memory of host processes.",
	Fix:         "docker: remove `--ipc host` (use `--ipc private` or `shareable`). Compose: remove `ipc: host`. Kubernetes: `hostIPC: false`.",
	CIS:         "5.16",
	Bad:         "docker run --ipc host alpine:3.20",
	Good:        "docker run --ipc private alpine:3.20",
}

func checkHostIPC(c *rt.Container, e *emitter) {
	checkHostNamespace(c.Namespace.IPC, e, "ipc", "ipc: host", "hostIPC: true")
}
