package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df004 = &rule.Rule{
	ID: "DF004", Slug: "base-image-latest", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "Base image has no tag or uses latest",
	Description: "A base image without a tag means `latest`, which moves: the same Dockerfile " +
		"builds different images over time, and a rebuild can pull a new major release.",
	Fix:  "Name a version tag, and preferably a digest: `FROM alpine:3.20@sha256:...`.",
	Bad:  "FROM ubuntu",
	Good: "FROM ubuntu:24.04",
}

func checkBaseLatest(c *Context) {
	for _, b := range c.baseImages() {
		if b.digest != "" {
			continue
		}
		switch b.tag {
		case "":
			c.report(df004, b.stage.From, "base image %q has no tag, so it means %s:latest", b.ref, b.ref)
		case "latest":
			c.report(df004, b.stage.From, "base image %q uses the moving tag latest", b.ref)
		}
	}
}
