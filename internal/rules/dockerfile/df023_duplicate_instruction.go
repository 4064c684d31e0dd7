package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df023 = &rule.Rule{
	ID: "DF023", Slug: "repeated-cmd-entrypoint-healthcheck", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage",
	Description: "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect; earlier " +
		"ones are silently ignored, which usually means the author expected both to run.",
	Fix:  "Keep one of each per stage; run several programs from one entrypoint script if needed.",
	Bad:  "FROM alpine:3.20\nCMD [\"/app\", \"migrate\"]\nCMD [\"/app\", \"serve\"]",
	Good: "FROM alpine:3.20\nCMD [\"/app\", \"serve\"]",
}

func checkDuplicateInstruction(c *Context) {
	for _, s := range c.File.Stages {
		last := map[string]*dockerfile.Instruction{}
		for _, in := range s.Instructions {
			switch in.Keyword {
			case "CMD", "ENTRYPOINT", "HEALTHCHECK":
			default:
				continue
			}
			if in.Command == nil {
				continue
			}
			if prev := last[in.Keyword]; prev != nil {
				c.report(df023, prev, "%s on line %d is overridden by the %s on line %d of the same stage",
					prev.Keyword, prev.Line, in.Keyword, in.Line)
			}
			last[in.Keyword] = in
		}
	}
}
