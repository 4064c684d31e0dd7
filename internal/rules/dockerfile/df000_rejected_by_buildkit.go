package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df000 = &rule.Rule{
	ID: "DF000", Slug: "rejected-by-buildkit", Severity: finding.High, Kind: rule.KindDockerfile,
	Title: "BuildKit rejects the Dockerfile or an instruction",
	Description: "The Dockerfile, or one instruction in it, does not parse with BuildKit's own " +
		"parser, so `docker build` stops there. dockward parses instruction by instruction, " +
		"so the other instructions are still checked.",
	Fix:  "Correct the instruction as the message says; `docker build --check .` shows the same error.",
	Bad:  "FROM alpine:3.20\nENV PATH",
	Good: "FROM alpine:3.20\nENV PATH=/usr/local/bin:$PATH",
}

func checkRejected(c *Context) {
	for _, e := range c.File.Errors {
		if e.Unsupported {
			continue
		}
		c.findings = append(c.findings, df000.New(loc(c.Path, e.Line, e.EndLine),
			"BuildKit rejects this instruction: %s", e.Message))
	}
}
