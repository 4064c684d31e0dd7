package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df036 = &rule.Rule{
	ID: "DF036", Slug: "shell-syntax-error", Severity: finding.Info, Kind: rule.KindDockerfile,
	Title: "Shell command cannot be parsed",
	Description: "The shell form of a RUN, CMD, ENTRYPOINT or HEALTHCHECK does not parse as a " +
		"POSIX or bash program, so the shell will most likely fail at build or run time, and " +
		"dockward cannot check the commands inside it.",
	Fix:  "Correct the shell syntax, for example unbalanced quotes or a missing `fi` or `done`.",
	Bad:  "FROM alpine:3.20\nRUN if [ -f /x ]; then echo yes",
	Good: "FROM alpine:3.20\nRUN if [ -f /x ]; then echo yes; fi",
}

func checkShellSyntax(c *Context) {
	for _, in := range c.File.Instructions {
		for _, s := range in.Scripts {
			if s.Err == nil {
				continue
			}
			c.reportAt(df036, in, s.ErrLine, "the %s shell does not parse: %s",
				in.Keyword, s.ErrorText())
		}
	}
}
