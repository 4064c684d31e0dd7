package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/input/dockerfile"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df001 = &rule.Rule{
	ID: "DF001", Slug: "no-user", Severity: finding.High, Kind: rule.KindDockerfile, CIS: "4.1",
	Title: "Final stage has no USER, so the container runs as root",
	Description: "Without a USER instruction in the final stage (or a stage it is built on), the " +
		"container's process runs as root unless the base image sets another user. A process " +
		"that runs as root inside the container is one kernel bug or one misconfigured mount " +
		"away from root on the host.",
	Fix: "Create an unprivileged user and switch to it with a numeric UID:GID, for example " +
		"`RUN useradd --uid 10001 --no-create-home app` and `USER 10001:10001`.",
	Bad:  "FROM python:3.13-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]",
	Good: "FROM python:3.13-slim\nCOPY app.py /app/\nUSER 10001:10001\nCMD [\"python\", \"/app/app.py\"]",
	Limits: "The base image's own USER is not known from the Dockerfile. Distroless images whose " +
		"tag contains `nonroot` are known to run as UID 65532 and are not reported.",
}

func checkNoUser(c *Context) {
	if c.Final == nil {
		return
	}
	if in, user, _ := c.finalUser(); in != nil {
		c.checkEmptyUser(in, user)
		return
	}
	root := c.chain()[len(c.chain())-1]
	base := strings.ToLower(root.Base)
	if strings.Contains(base, "nonroot") {
		return
	}
	from := c.Final.From
	if c.Final.Windows {
		c.report(df001, from, "%s has no USER, so the container runs as the base image's default user, "+
			"which is ContainerAdministrator on Windows Server Core images; set USER ContainerUser", c.finalName())
		return
	}
	if strings.EqualFold(root.Base, "scratch") {
		c.report(df001, from, "%s has no USER and starts FROM scratch, so the container runs as UID 0", c.finalName())
		return
	}
	c.report(df001, from, "%s has no USER, so the container runs as root unless the base image %s sets a user",
		c.finalName(), baseName(root))
}

// checkEmptyUser reports a USER whose value is an ARG declared only before
// the first FROM: BuildKit expands it to an empty string, so the image
// keeps its base image's user.
func (c *Context) checkEmptyUser(in *dockerfile.Instruction, user string) {
	if strings.TrimSpace(user) != "" {
		return
	}
	raw := strings.Join(in.Args, " ")
	names := c.File.UndeclaredMetaArgs(in.Stage, raw)
	if len(names) == 0 {
		return
	}
	c.report(df001, in, "USER %s expands to an empty user: ARG %s is declared before the first FROM but not "+
		"again in this stage, so the container runs as the base image's user (root unless it sets one); "+
		"add ARG %s after FROM", raw, strings.Join(names, ", "), names[0])
}
