package dockerfile

import (
	"strings"

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
	if in, _, _ := c.finalUser(); in != nil {
		return
	}
	root := c.chain()[len(c.chain())-1]
	base := strings.ToLower(root.Base)
	if strings.Contains(base, "nonroot") {
		return
	}
	from := c.Final.From
	if strings.EqualFold(root.Base, "scratch") {
		c.report(df001, from, "the final stage has no USER and starts FROM scratch, so the container runs as UID 0")
		return
	}
	c.report(df001, from, "the final stage has no USER, so the container runs as root unless the base image %s sets a user",
		baseName(root))
}
