package runtime

import (
	"regexp"
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HealthcheckCurl fires on a health check that runs curl or wget.
var HealthcheckCurl = &rule.Rule{
	ID:       "RT030",
	Slug:     "healthcheck-curl",
	Title:    "Health check uses curl or wget",
	Severity: finding.Info,
	Kind:     rule.KindRuntime,
	Description: "A health check that runs curl or wget needs the tool in the image, which adds " +
		"a ready-made download client for an attacker and keeps a shell and its libraries in " +
		"images that could be minimal. A small health check binary built with the application " +
		"avoids both.",
	Fix: "Ship a dedicated health check binary. docker: `--health-cmd /app/healthcheck`. Compose: " +
		"`healthcheck: {test: [\"CMD\", \"/app/healthcheck\"]}`. Kubernetes: an `httpGet` probe, " +
		"which the kubelet runs without any tool in the image.",
	Bad:  "docker run --health-cmd 'curl -f http://localhost:8080/health' app:1.0",
	Good: "docker run --health-cmd '/app/healthcheck' app:1.0",
}

var curlWget = regexp.MustCompile(`(^|[\s/;&|(])(curl|wget)(\s|$)`)

func checkHealthcheckCurl(c *rt.Container, e *emitter) {
	h := c.Healthcheck
	if !h.Set && c.ImageConfig != nil {
		h = c.ImageConfig.Healthcheck
	}
	if !h.Known() || h.V.Disabled || len(h.V.Test) < 2 {
		return
	}
	cmd := strings.Join(h.V.Test[1:], " ")
	if m := curlWget.FindStringSubmatch(cmd); m != nil {
		pos := h.Pos
		if !c.Healthcheck.Set {
			pos = c.Image.Pos
		}
		e.at(pos, "the health check runs %s", m[2])
	}
}
