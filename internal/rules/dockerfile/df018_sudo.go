package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df018 = &rule.Rule{
	ID: "DF018", Slug: "sudo", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "sudo installed or used",
	Description: "RUN already runs as the current USER, so sudo adds nothing at build time. " +
		"Installed in the image it is a ready way back to root for any process that runs " +
		"as a user with sudo rights, and it has unpredictable TTY and signal behaviour.",
	Fix: "Run the steps that need root before switching USER (or switch with `USER root` and " +
		"back), and do not install sudo; use `gosu` or `su-exec` only in entrypoints that drop " +
		"privileges.",
	Bad:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*",
	Good: "FROM debian:12\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001",
}

func checkSudo(c *Context) {
	c.commands(func(in *dockerfile.Instruction, cmd *dockerfile.Command) {
		if cmd.Name == "sudo" {
			c.reportAt(df018, in, cmd.Line, "sudo is used in RUN; RUN already runs as the current USER")
			return
		}
		for _, p := range installs(cmd) {
			if p == "sudo" {
				c.reportAt(df018, in, cmd.Line, "%s installs sudo into the image", cmd.Name)
			}
		}
	})
}
