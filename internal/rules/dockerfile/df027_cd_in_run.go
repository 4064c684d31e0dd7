package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df027 = &rule.Rule{
	ID: "DF027", Slug: "cd-in-run", Severity: finding.Info, Kind: rule.KindDockerfile,
	Title: "cd in RUN where WORKDIR would do",
	Description: "A `cd` into a fixed directory lasts only for one RUN; the next instruction " +
		"starts in WORKDIR again. WORKDIR states the directory once for every later " +
		"instruction and for the container.",
	Fix:  "Set `WORKDIR /app` before the RUN instead of `cd /app &&`.",
	Bad:  "FROM node:24-alpine\nRUN cd /app && npm ci",
	Good: "FROM node:24-alpine\nWORKDIR /app\nRUN npm ci",
	Limits: "Only a `cd` to an absolute literal path that starts a RUN (after any `set` " +
		"options) is reported; a `cd` later in the RUN, inside a subshell, or into a relative " +
		"or computed directory is a legitimate temporary change.",
}

func checkCdInRun(c *Context) {
	c.instructionsOf("RUN", func(in *dockerfile.Instruction) {
		cmd := firstCommand(in)
		if cmd == nil || cmd.Name != "cd" || cmd.Nested || cmd.Via != "" {
			return
		}
		ops := cmd.Operands()
		if len(ops) != 1 || !cmd.Known[len(cmd.Known)-1] || !strings.HasPrefix(ops[0], "/") {
			return
		}
		c.reportAt(df027, in, cmd.Line, "cd %s changes the directory for this RUN only; WORKDIR %s would set it once", ops[0], ops[0])
	})
}

// firstCommand returns the first top-level command of a RUN, skipping set.
func firstCommand(in *dockerfile.Instruction) *dockerfile.Command {
	for _, cmd := range runCommands(in) {
		if cmd.Nested || cmd.Name == "set" {
			continue
		}
		return cmd
	}
	return nil
}
