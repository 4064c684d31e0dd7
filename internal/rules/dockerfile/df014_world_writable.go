package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df014 = &rule.Rule{
	ID: "DF014", Slug: "world-writable-permissions", Severity: finding.High, Kind: rule.KindDockerfile,
	Title: "World-writable permissions",
	Description: "A mode that lets others write (`chmod 777`, `o+w`, `a+w`, `--chmod=666` on " +
		"COPY or ADD) lets any user in the container, and any process that gets in, replace the " +
		"files: code, configuration or scripts that root later runs.",
	Fix: "Grant write access only to the owner, and give ownership to the user that needs it: " +
		"`chmod 755` for directories and programs, `644` for data. Shared temporary directories " +
		"need the sticky bit (`1777`).",
	Bad:    "FROM alpine:3.20\nRUN chmod -R 777 /app",
	Good:   "FROM alpine:3.20\nRUN chmod -R u=rwX,go=rX /app",
	Limits: "Modes with the sticky bit, such as `chmod 1777 /tmp`, are not reported.",
}

func checkWorldWritable(c *Context) {
	for _, in := range c.File.Instructions {
		if in.Stage == nil {
			continue
		}
		for _, ch := range chmods(in) {
			if ch.mode.otherWrite && !ch.mode.sticky {
				c.reportAt(df014, in, ch.cmd.Line, "%s makes files writable by every user", ch.modeText())
			}
		}
		if mode, _, ok := copyChmod(in); ok {
			if m, ok := parseMode(mode); ok && m.otherWrite && !m.sticky {
				c.report(df014, in, "%s --chmod=%s makes the copied files writable by every user", in.Keyword, mode)
			}
		}
	}
}
