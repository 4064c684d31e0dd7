package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df035 = &rule.Rule{
	ID: "DF035", Slug: "unsupported-syntax", Severity: finding.Info, Kind: rule.KindDockerfile,
	Title: "Instruction, flag or mount option unknown to the built-in frontend",
	Description: "A flag or a `--mount` option, or an instruction in a file that names a " +
		"frontend with a `# syntax=` directive, is not known to the Dockerfile frontend built " +
		"into BuildKit v0.34. It may be valid for a newer or a custom frontend, so dockward " +
		"reports it for information and checks the rest of the file. An unknown instruction in " +
		"a file without a syntax directive is DF000, since the built-in frontend then runs.",
	Fix:  "Pin a frontend that supports it with `# syntax=docker/dockerfile:1` or the labs channel, or remove it.",
	Bad:  "FROM alpine:3.20\nCOPY --frobnicate . /app",
	Good: "FROM alpine:3.20\nCOPY . /app",
	Limits: "The check follows the frontend dockward is built with; options added to BuildKit later " +
		"are reported until dockward updates.",
}

func checkUnsupported(c *Context) {
	for _, e := range c.File.Errors {
		if !e.Unsupported || (e.Instruction != "" && c.File.Syntax == "") {
			continue // DF000 reports unknown instructions without a syntax directive
		}
		what := safeMessage(e.Message)
		if e.Instruction != "" {
			what = "unknown instruction " + instructionName(e.Instruction)
		}
		msg := "%s; the built-in frontend would reject it"
		if c.File.Syntax != "" {
			msg = "%s; it may be supported by the frontend " + c.File.Syntax
		}
		c.findings = append(c.findings, df035.New(loc(c.Path, e.Line, e.EndLine), msg, what))
	}
}
