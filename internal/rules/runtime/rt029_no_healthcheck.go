package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// NoHealthcheck fires when neither the container nor its image has a
// health check.
var NoHealthcheck = &rule.Rule{
	ID:       "RT029",
	Slug:     "container-without-healthcheck",
	Title:    "No health check",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "Without a health check the engine only knows whether the main process runs, " +
		"not whether it works, so a hung or compromised service keeps receiving traffic and is " +
		"never restarted. When the image is not known, the finding says that the image may " +
		"define a HEALTHCHECK.",
	Fix: "docker: `--health-cmd 'wget -qO- http://127.0.0.1:8080/health || exit 1' " +
		"--health-interval 30s`. Compose: `healthcheck: {test: [\"CMD\", \"/app/healthcheck\"], " +
		"interval: 30s}`. Kubernetes: `livenessProbe` and `readinessProbe`. Or add a " +
		"HEALTHCHECK to the Dockerfile.",
	CIS:  "5.26",
	Bad:  "docker run --no-healthcheck nginx:1.27",
	Good: "docker run --health-cmd '/app/healthcheck' nginx:1.27",
	Limits: "An image that is not known may define a HEALTHCHECK; the finding then says so. " +
		"Kubernetes init and ephemeral containers are not reported, because the API rejects " +
		"probes on them.",
}

func checkNoHealthcheck(c *rt.Container, e *emitter) {
	h := c.Healthcheck
	switch {
	case h.Unknown, isKubeHelper(c):
		// Kubernetes rejects probes on init and ephemeral containers.
		return
	case h.Known() && h.V.Disabled:
		e.at(h.Pos, "the health check is disabled")
		return
	case h.Known():
		return
	case hidden(c):
		return
	}

	img := c.ImageConfig
	switch {
	case img == nil:
		e.at(c.Image.Pos, "no health check is set; the image is not known here and may define a HEALTHCHECK")
	case img.Healthcheck.Known() && !img.Healthcheck.V.Disabled:
		return
	case img.Healthcheck.Known():
		e.at(c.Image.Pos, "no health check is set and the image %s disables its HEALTHCHECK", img.Ref)
	case img.Base != "" || img.Healthcheck.Unknown:
		e.at(c.Image.Pos, "no health check is set and %s defines no HEALTHCHECK, but its base image%s "+
			"may define one", img.Ref, prefixed(" ", img.Base))
	default:
		e.at(c.Image.Pos, "no health check is set and the image %s defines no HEALTHCHECK", img.Ref)
	}
}
