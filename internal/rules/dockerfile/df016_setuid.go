package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df016 = &rule.Rule{
	ID: "DF016", Slug: "setuid-setgid-bit", Severity: finding.High, Kind: rule.KindDockerfile, CIS: "4.8",
	Title: "setuid or setgid bit set",
	Description: "A setuid or setgid program runs with its owner's or group's privileges, " +
		"usually root, whoever starts it. Each one is a way for a process in the container to " +
		"gain privileges, and the container should not need any.",
	Fix: "Remove the bit (`chmod u-s,g-s FILE`), grant the single capability the program needs " +
		"with `setcap`, and run the container with `--security-opt no-new-privileges`.",
	Bad:  "FROM alpine:3.20\nCOPY tool /usr/local/bin/\nRUN chmod 4755 /usr/local/bin/tool",
	Good: "FROM alpine:3.20\nCOPY tool /usr/local/bin/\nRUN chmod 0755 /usr/local/bin/tool",
}

func checkSetuid(c *Context) {
	for _, in := range c.File.Instructions {
		if in.Stage == nil {
			continue
		}
		for _, ch := range chmods(in) {
			// setgid on a directory only makes new files inherit its group.
			if ch.mode.setID && !ch.directories {
				c.reportAt(df016, in, ch.cmd.Line, "%s sets the setuid or setgid bit on %s",
					ch.modeText(), strings.Join(ch.targets, " "))
			}
		}
		if mode, _, ok := copyChmod(in); ok {
			if m, ok := parseMode(mode); ok && m.setID {
				c.report(df016, in, "%s --chmod=%s sets the setuid or setgid bit", in.Keyword, mode)
			}
		}
	}
}
