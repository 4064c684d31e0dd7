package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df026 = &rule.Rule{
	ID: "DF026", Slug: "relative-workdir", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "Relative WORKDIR",
	Description: "A relative WORKDIR is joined to the previous one, which may come from the base " +
		"image and change when the base changes, so files land in an unexpected directory.",
	Fix:  "Use an absolute path: `WORKDIR /app`.",
	Bad:  "FROM node:24-alpine\nWORKDIR app",
	Good: "FROM node:24-alpine\nWORKDIR /app",
}

var windowsAbs = regexp.MustCompile(`^[A-Za-z]:[\\/]`)

func checkRelativeWorkdir(c *Context) {
	c.instructionsOf("WORKDIR", func(in *dockerfile.Instruction) {
		w, ok := in.Command.(*instructions.WorkdirCommand)
		if !ok {
			return
		}
		p := w.Path
		if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "$") || strings.HasPrefix(p, "\\") ||
			windowsAbs.MatchString(p) {
			return
		}
		c.report(df026, in, "WORKDIR %s is relative to the previous working directory", p)
	})
}
