package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df032 = &rule.Rule{
	ID: "DF032", Slug: "package-upgrade", Severity: finding.Info, Kind: rule.KindDockerfile,
	Title: "Distribution upgrade inside the image",
	Description: "`apt-get upgrade`, `dist-upgrade` or `apk upgrade` in a Dockerfile makes the " +
		"image's content depend on the day it was built and can pull in changes the base " +
		"image's maintainers have not tested; the fixes usually belong in a newer base image.",
	Fix:  "Rebuild on an updated base image tag or digest instead; install specific fixed package versions if one is urgent.",
	Bad:  "FROM debian:12\nRUN apt-get update && apt-get -y upgrade && rm -rf /var/lib/apt/lists/*",
	Good: "FROM debian:12.8\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
	Limits: "Some teams upgrade on purpose to pick up fixes between base image releases; " +
		"suppress the rule with a reason if so.",
}

func checkUpgrade(c *Context) {
	c.commands(func(in *dockerfile.Instruction, cmd *dockerfile.Command) {
		sub := subcommand(cmd)
		upgrade := false
		switch cmd.Name {
		case "apt-get", "apt", "aptitude":
			upgrade = sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade" || sub == "safe-upgrade"
		case "apk":
			upgrade = sub == "upgrade"
		case "yum", "dnf", "microdnf", "zypper":
			upgrade = (sub == "upgrade" || sub == "update" || sub == "dist-upgrade" || sub == "dup") &&
				len(cmd.Operands()) == 1
		}
		if upgrade {
			c.reportAt(df032, in, cmd.Line, "%s %s upgrades the distribution inside the image", cmd.Name, sub)
		}
	})
}
