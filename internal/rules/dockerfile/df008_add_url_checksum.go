package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df008 = &rule.Rule{
	ID: "DF008", Slug: "add-url-without-checksum", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "ADD of a remote URL without --checksum",
	Description: "`ADD https://…` downloads at build time and trusts whatever arrives. Without " +
		"`--checksum`, a changed or tampered file goes into the image unnoticed.",
	Fix:  "Add the expected digest: `ADD --checksum=sha256:<digest> https://example.com/tool.tar.gz /opt/`.",
	Bad:  "FROM alpine:3.20\nADD https://example.com/tool.tar.gz /opt/",
	Good: "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/",
}

func checkAddURLChecksum(c *Context) {
	c.instructionsOf("ADD", func(in *dockerfile.Instruction) {
		add, ok := in.Command.(*instructions.AddCommand)
		if !ok || add.Checksum != "" {
			return
		}
		for _, src := range add.SourcePaths {
			if isRemote(src) {
				c.report(df008, in, "ADD downloads %s without --checksum", src)
			}
		}
	})
}

func isRemote(src string) bool {
	s := strings.ToLower(src)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") ||
		strings.HasPrefix(s, "git@") || strings.HasPrefix(s, "git://") ||
		strings.HasPrefix(s, "ssh://")
}
