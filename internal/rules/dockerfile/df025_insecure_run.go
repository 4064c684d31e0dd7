package dockerfile

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df025 = &rule.Rule{
	ID: "DF025", Slug: "insecure-run", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "RUN --security=insecure or --network=host",
	Description: "`RUN --security=insecure` runs the step like a privileged container, and " +
		"`--network=host` gives it the build host's network, including services bound to " +
		"localhost and cloud metadata endpoints. A compromised dependency in that step reaches " +
		"the build machine.",
	Fix:  "Remove the flag; fetch what the step needs through the default network, or pass it as a build secret or context.",
	Bad:  "FROM debian:12\nRUN --network=host ./fetch-deps.sh",
	Good: "FROM debian:12\nRUN ./fetch-deps.sh",
}

func checkInsecureRun(c *Context) {
	c.instructionsOf("RUN", func(in *dockerfile.Instruction) {
		run, ok := in.Command.(*instructions.RunCommand)
		if !ok {
			if v, set := in.Flag("security"); set && v == "insecure" {
				c.report(df025, in, "RUN --security=insecure runs the step with all privileges")
			}
			return
		}
		if instructions.GetSecurity(run) == "insecure" {
			c.report(df025, in, "RUN --security=insecure runs the step with all privileges")
		}
		if instructions.GetNetwork(run) == instructions.NetworkHost {
			c.report(df025, in, "RUN --network=host gives the step the build host's network")
		}
	})
}
