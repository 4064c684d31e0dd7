package dockerfile

import (
	"path"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df021 = &rule.Rule{
	ID: "DF021", Slug: "healthcheck-uses-curl", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "HEALTHCHECK relies on curl or wget",
	Description: "curl and wget are often missing from slim and distroless images, so the check " +
		"fails and the container is marked unhealthy; installing them only for the check adds " +
		"a network client that an attacker can use.",
	Fix:  "Let the application check itself (`CMD [\"/app\", \"healthcheck\"]`), or ship a small static probe binary.",
	Bad:  "FROM alpine:3.20\nHEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1",
	Good: "FROM alpine:3.20\nHEALTHCHECK CMD [\"/app\", \"healthcheck\"]",
}

func checkHealthcheckCurl(c *Context) {
	c.instructionsOf("HEALTHCHECK", func(in *dockerfile.Instruction) {
		hc, ok := in.Command.(*instructions.HealthCheckCommand)
		if !ok || hc.Health == nil || len(hc.Health.Test) < 2 {
			return
		}
		if hc.Health.Test[0] == "CMD" {
			if name := path.Base(hc.Health.Test[1]); downloaders[name] {
				c.report(df021, in, "HEALTHCHECK runs %s, which the image may not contain", name)
				return
			}
		}
		for _, cmd := range runCommands(in) {
			if downloaders[cmd.Name] {
				c.report(df021, in, "HEALTHCHECK runs %s, which the image may not contain", cmd.Name)
				return
			}
		}
	})
}
