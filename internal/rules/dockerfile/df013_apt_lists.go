package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df013 = &rule.Rule{
	ID: "DF013", Slug: "apt-lists-not-removed", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "apt lists not removed in the same RUN as apt-get update",
	Description: "`apt-get update` downloads package lists to /var/lib/apt/lists. Unless the " +
		"same RUN removes them, they stay in the layer: tens of megabytes, and a later layer " +
		"cannot take them out again.",
	Fix: "End the RUN with `&& rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean` on apt 3), or use cache mounts: " +
		"`RUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt ...`.",
	Bad:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
	Good: "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*",
}

func checkAptLists(c *Context) {
	c.instructionsOf("RUN", func(in *dockerfile.Instruction) {
		if hasCacheMount(in, "/var/lib/apt/lists") || removes(in, "/var/lib/apt/lists") {
			return
		}
		for _, cmd := range runCommands(in) {
			// apt 3 (Debian 13) removes the lists itself with dist-clean.
			if isAptGet(cmd) && subcommand(cmd) == "dist-clean" {
				return
			}
		}
		for _, cmd := range runCommands(in) {
			if isAptGet(cmd) && subcommand(cmd) == "update" {
				c.reportAt(df013, in, cmd.Line, "%s update is not followed by rm -rf /var/lib/apt/lists/* in the same RUN", cmd.Name)
				return
			}
		}
	})
}
