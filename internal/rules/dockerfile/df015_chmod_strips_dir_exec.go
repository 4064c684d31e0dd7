package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df015 = &rule.Rule{
	ID: "DF015", Slug: "chmod-strips-dir-exec", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "Recursive chmod strips the execute bit from directories",
	Description: "A recursive mode without execute for the owner (`chmod -R 644 /app`, " +
		"`chmod -R a-x`) also applies to directories, which then cannot be entered: the " +
		"application fails with permission errors at run time, often only as a non-root user. " +
		"COPY and ADD `--chmod` apply the mode to copied directories in the same way.",
	Fix: "Use the capital X, which sets execute only on directories and on files that already " +
		"have it: `chmod -R u=rwX,go=rX /app`; or change files and directories apart with " +
		"`find /app -type f -exec chmod 644 {} +`.",
	Bad:  "FROM alpine:3.20\nCOPY app/ /app/\nRUN chmod -R 644 /app",
	Good: "FROM alpine:3.20\nCOPY app/ /app/\nRUN chmod -R u=rwX,go=rX /app",
}

func checkChmodStripsDirExec(c *Context) {
	for _, in := range c.File.Instructions {
		if in.Stage == nil {
			continue
		}
		for _, ch := range chmods(in) {
			if ch.recursive && ch.mode.stripsOwnerExec {
				c.reportAt(df015, in, ch.cmd.Line, "chmod -R %s %s removes execute from every directory below, which makes them untraversable",
					ch.mode.text, strings.Join(ch.targets, " "))
			}
		}
		mode, sources, ok := copyChmod(in)
		if !ok {
			continue
		}
		if m, ok := parseMode(mode); ok && m.stripsOwnerExec && copiesDirectory(sources) {
			c.report(df015, in, "%s --chmod=%s also applies to the copied directories, which become untraversable", in.Keyword, mode)
		}
	}
}

// copiesDirectory reports whether a COPY source is evidently a directory.
func copiesDirectory(sources []string) bool {
	for _, s := range sources {
		if s == "." || s == "./" || strings.HasSuffix(s, "/") || strings.HasSuffix(s, "/.") {
			return true
		}
	}
	return false
}
