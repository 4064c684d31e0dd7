package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// UnlimitedUlimit fires on a ulimit set to unlimited.
var UnlimitedUlimit = &rule.Rule{
	ID:       "RT032",
	Slug:     "unlimited-ulimit",
	Title:    "ulimit set to unlimited",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "An unlimited ulimit (-1) removes a per-process guard: unlimited nproc allows " +
		"fork bombs, unlimited nofile lets one process exhaust the host's file table, unlimited " +
		"memlock lets it pin host memory and unlimited core lets crashes fill the disk.",
	Fix: "Set a finite limit. docker: `--ulimit nofile=65536:65536`. Compose: `ulimits: {nofile: " +
		"{soft: 65536, hard: 65536}}`. Kubernetes has no per-container ulimits; they come from " +
		"the container runtime's defaults.",
	CIS:  "5.18",
	Bad:  "docker run --ulimit memlock=-1:-1 alpine:3.20",
	Good: "docker run --ulimit memlock=65536:65536 alpine:3.20",
}

func checkUnlimitedUlimit(c *rt.Container, e *emitter) {
	for _, u := range c.Ulimits {
		if u.Unknown {
			continue
		}
		if u.Soft == -1 || u.Hard == -1 {
			e.at(u.Pos, "ulimit %s is unlimited", u.Name)
		}
	}
}
