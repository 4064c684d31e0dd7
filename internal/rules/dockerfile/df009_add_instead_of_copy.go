package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df009 = &rule.Rule{
	ID: "DF009", Slug: "add-instead-of-copy", Severity: finding.Low, Kind: rule.KindDockerfile, CIS: "4.9",
	Title: "ADD where COPY suffices",
	Description: "ADD also extracts local tar archives and downloads URLs. For plain local files " +
		"COPY does the same with no hidden behaviour, so a file that later becomes an archive " +
		"is not unpacked by surprise.",
	Fix:  "Use `COPY` for local files and directories; keep `ADD` for tar archives to extract.",
	Bad:  "FROM alpine:3.20\nADD app.py /app/",
	Good: "FROM alpine:3.20\nCOPY app.py /app/",
}

var archiveSuffixes = []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz",
	".txz", ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma", ".gz", ".bz2", ".xz", ".zst"}

func checkAddInsteadOfCopy(c *Context) {
	c.instructionsOf("ADD", func(in *dockerfile.Instruction) {
		add, ok := in.Command.(*instructions.AddCommand)
		if !ok {
			return
		}
		var local []string
		for _, src := range add.SourcePaths {
			if isRemote(src) || strings.Contains(src, "$") || isArchive(src) {
				return
			}
			local = append(local, src)
		}
		for _, sc := range add.SourceContents {
			local = append(local, "<<"+sc.Path)
		}
		if len(local) > 0 {
			c.report(df009, in, "ADD copies %s, which COPY does without extraction or download",
				strings.Join(local, ", "))
		}
	})
}

func isArchive(src string) bool {
	s := strings.ToLower(src)
	if strings.ContainsAny(s, "*?[") {
		return true // a pattern may match archives
	}
	for _, suf := range archiveSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}
