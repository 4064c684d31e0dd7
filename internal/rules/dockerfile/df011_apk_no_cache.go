package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df011 = &rule.Rule{
	ID: "DF011", Slug: "apk-add-without-no-cache", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "apk add without --no-cache",
	Description: "`apk add` keeps the package index it downloads in /var/cache/apk, which then " +
		"stays in the layer: a larger image and stale package lists.",
	Fix:  "Use `apk add --no-cache PACKAGE`, or a cache mount: `RUN --mount=type=cache,target=/var/cache/apk apk add PACKAGE`.",
	Bad:  "FROM alpine:3.20\nRUN apk update && apk add curl",
	Good: "FROM alpine:3.20\nRUN apk add --no-cache curl",
}

func checkApkNoCache(c *Context) {
	c.commands(func(in *dockerfile.Instruction, cmd *dockerfile.Command) {
		if cmd.Name != "apk" || subcommand(cmd) != "add" || cmd.HasArg("--no-cache") {
			return
		}
		if hasCacheMount(in, "/var/cache/apk") || removes(in, "/var/cache/apk") {
			return
		}
		c.reportAt(df011, in, cmd.Line, "apk add without --no-cache leaves the package index in /var/cache/apk")
	})
}
