package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df012 = &rule.Rule{
	ID: "DF012", Slug: "apt-install-recommends", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "apt-get install without --no-install-recommends",
	Description: "By default apt also installs recommended packages, which the application " +
		"rarely needs: a larger image and more code that can carry vulnerabilities.",
	Fix:  "Use `apt-get install -y --no-install-recommends PACKAGE`.",
	Bad:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
	Good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
	Limits: "A stage that writes `APT::Install-Recommends` into apt's configuration before the " +
		"install is not reported.",
}

func checkAptRecommends(c *Context) {
	configured := map[*dockerfile.Stage]bool{}
	c.commands(func(in *dockerfile.Instruction, cmd *dockerfile.Command) {
		for _, a := range cmd.Args {
			if strings.Contains(a, "Install-Recommends") {
				configured[in.Stage] = true
			}
		}
		if !isAptGet(cmd) || subcommand(cmd) != "install" || configured[in.Stage] {
			return
		}
		for i, a := range cmd.Args {
			if a == "--no-install-recommends" || strings.Contains(a, "Install-Recommends=false") ||
				strings.Contains(a, "Install-Recommends=0") || (a == "-o" && i+1 < len(cmd.Args) &&
				strings.Contains(cmd.Args[i+1], "Install-Recommends")) {
				return
			}
		}
		c.reportAt(df012, in, cmd.Line, "%s install without --no-install-recommends also installs recommended packages", cmd.Name)
	})
}
