package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df020 = &rule.Rule{
	ID: "DF020", Slug: "no-healthcheck", Severity: finding.Low, Kind: rule.KindDockerfile, CIS: "4.6",
	Title: "Final stage has no HEALTHCHECK",
	Description: "Without a health check, Docker and Swarm only know whether the process " +
		"exists, not whether it works, so a hung service is never restarted or taken out of " +
		"rotation.",
	Fix: "Add a check that uses a binary the image already has, such as the application itself: " +
		"`HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app\", \"healthcheck\"]`. Write " +
		"`HEALTHCHECK NONE` to state that none is wanted.",
	Bad:  "FROM alpine:3.20\nCOPY app /app\nCMD [\"/app\"]",
	Good: "FROM alpine:3.20\nCOPY app /app\nHEALTHCHECK CMD [\"/app\", \"-healthcheck\"]\nCMD [\"/app\"]",
	Limits: "A health check defined by the base image is not visible in the Dockerfile. " +
		"Kubernetes ignores HEALTHCHECK and uses probes instead.",
}

func checkNoHealthcheck(c *Context) {
	if c.Final == nil || c.lastInFinal("HEALTHCHECK") != nil {
		return
	}
	c.report(df020, c.Final.From, "%s has no HEALTHCHECK, unless the base image %s defines one",
		c.finalName(), baseName(c.chain()[len(c.chain())-1]))
}
