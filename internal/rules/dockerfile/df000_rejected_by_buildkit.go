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
	Fix: "Correct the file as the message says, for example the spelling of an instruction or a " +
		"missing argument; `docker build --check .` shows the same error.",
	Bad:  "FROM alpine:3.20\nENV PATH",
	Good: "FROM alpine:3.20\nENV PATH=/usr/local/bin:$PATH",
}

func checkRejected(c *Context) {
	for _, e := range c.File.Errors {
		switch {
		case e.Instruction != "" && c.File.Syntax == "":
			// Without a syntax directive the built-in frontend runs, and it
			// knows no other instructions: a misspelling, not new syntax.
			msg := "unknown instruction " + instructionName(e.Instruction)
			if e.Suggestion != "" {
				msg += "; did you mean " + e.Suggestion + "?"
			}
			c.findings = append(c.findings, df000.New(loc(c.Path, e.Line, e.EndLine),
				"BuildKit rejects this instruction: %s", msg))
		case !e.Unsupported:
			c.findings = append(c.findings, df000.New(loc(c.Path, e.Line, e.EndLine),
				"BuildKit rejects this instruction: %s", safeMessage(e.Message)))
		}
	}
}
