package runtime

import (
	"github.com/docker/go-units"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// SwapAboveMemory fires when memory-swap lets the container use swap
// beyond its memory limit.
var SwapAboveMemory = &rule.Rule{
	ID:       "RT014",
	Slug:     "swap-above-memory",
	Title:    "memory-swap larger than memory",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "memory-swap is the limit of memory plus swap. When it is larger than memory, " +
		"or -1, the container can keep growing into swap after it reaches its memory limit, " +
		"which slows the whole host instead of stopping the container. When memory is set and " +
		"memory-swap is not, the Docker Engine allows as much swap as memory (memory-swap is " +
		"twice the memory limit), so that is reported as well.",
	Fix: "Set memory-swap equal to memory. docker: `--memory 512m --memory-swap 512m`. " +
		"Compose: `mem_limit: 512m` with `memswap_limit: 512m`. Kubernetes does not give " +
		"containers swap unless the node enables it (NodeSwap), so no field is needed there.",
	CIS:    "5.10",
	Bad:    "docker run --memory 512m --memory-swap 2g alpine:3.20",
	Good:   "docker run --memory 512m --memory-swap 512m alpine:3.20",
	Limits: "Whether the host has swap and swap accounting is not known from a file.",
}

func checkSwapAboveMemory(c *rt.Container, e *emitter) {
	m, s := c.Resources.Memory, c.Resources.MemorySwap
	if c.Source == rt.SourceKubernetes || !m.Known() || m.V <= 0 || s.Unknown {
		return
	}
	switch {
	case !s.Set && !hidden(c):
		e.at(m.Pos, "memory is limited to %s but memory-swap is not set, so the engine allows "+
			"as much swap again", units.BytesSize(float64(m.V)))
	case s.Known() && s.V == -1:
		e.at(s.Pos, "memory-swap is -1, so swap is unlimited beyond the %s memory limit",
			units.BytesSize(float64(m.V)))
	case s.Known() && s.V > m.V:
		e.at(s.Pos, "memory-swap %s is larger than the memory limit %s",
			units.BytesSize(float64(s.V)), units.BytesSize(float64(m.V)))
	}
}
