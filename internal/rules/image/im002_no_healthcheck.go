package image

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var im002 = &rule.Rule{
	ID: "IM002", Slug: "image-no-healthcheck", Severity: finding.Low, Kind: rule.KindImage, CIS: "4.6",
	Title: "Image has no health check",
	Description: "The image config has no health check, or disables the one it inherited with " +
		"`HEALTHCHECK NONE`. The Docker Engine and Swarm then only see whether the process runs, " +
		"not whether it serves, so a hung service is never restarted or taken out of rotation. " +
		"The config field is checked directly; the history is not read for it, since a " +
		"`HEALTHCHECK NONE` there may have been overridden later.",
	Fix: "Add a HEALTHCHECK that exercises the service, for example " +
		"`HEALTHCHECK --interval=30s CMD [\"/app\", \"healthcheck\"]`, or define the probe in the " +
		"orchestrator (Kubernetes ignores HEALTHCHECK and uses its own probes).",
	Bad:  "FROM nginx:1.27\nHEALTHCHECK NONE",
	Good: "FROM nginx:1.27\nHEALTHCHECK --interval=30s CMD [\"curl\", \"-fsS\", \"http://127.0.0.1/\"]",
	Limits: "Images meant only for Kubernetes, which uses its own probes, are reported too; " +
		"disable the rule for them in .dockward.yaml.",
}

func checkHealthcheck(r *result) {
	cfg := r.in.Config
	if cfg == nil {
		return
	}
	hc := cfg.Config.Healthcheck
	switch {
	case hc == nil || len(hc.Test) == 0:
		r.add(im002.New(r.configLocation(), "the image config has no health check"))
	case strings.EqualFold(hc.Test[0], "NONE"):
		r.add(im002.New(r.configLocation(), "the image config disables its health check with HEALTHCHECK NONE"))
	}
}
