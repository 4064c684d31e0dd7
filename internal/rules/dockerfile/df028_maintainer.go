package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df028 = &rule.Rule{
	ID: "DF028", Slug: "maintainer-deprecated", Severity: finding.Info, Kind: rule.KindDockerfile,
	Title: "MAINTAINER is deprecated",
	Description: "MAINTAINER has been deprecated since Docker 1.13; the standard place for the " +
		"author is the OCI label `org.opencontainers.image.authors`.",
	Fix:  "Replace it with `LABEL org.opencontainers.image.authors=\"name <email>\"`.",
	Bad:  "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>",
	Good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"",
}

func checkMaintainer(c *Context) {
	c.instructionsOf("MAINTAINER", func(in *dockerfile.Instruction) {
		c.report(df028, in, "MAINTAINER %s is deprecated", strings.Join(in.Args, " "))
	})
}
