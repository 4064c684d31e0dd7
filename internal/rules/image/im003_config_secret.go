package image

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

var im003 = &rule.Rule{
	ID: "IM003", Slug: "image-config-secret", Severity: finding.High, Kind: rule.KindImage,
	Title: "Secret in the image config environment or labels",
	Description: "An environment variable or label of the image config holds a value that a " +
		"secret detector recognises: a token format, a private key, or a password-like name " +
		"with a real value. Anyone who can pull the image reads it with `docker inspect`, and " +
		"every container inherits the environment. Values are always shown redacted.",
	Fix: "Remove the value from ENV and LABEL, rotate the credential, and pass it at run time " +
		"through a secret mount (`docker run --secret`, a Kubernetes Secret volume) or, during " +
		"the build, with `RUN --mount=type=secret`.",
	Bad:  "FROM alpine:3.22\nENV DB_PASSWORD=Hunter2-prod-9f3k",
	Good: "FROM alpine:3.22\nENV DB_PASSWORD_FILE=/run/secrets/db_password",
	Limits: "Detection is by the secrets detector table: a secret in a format no detector knows, " +
		"under an innocent name, is missed.",
}

func checkConfigSecrets(r *result) {
	cfg := r.in.Config
	if cfg == nil {
		return
	}
	for _, kv := range cfg.Config.Env {
		name, value, _ := strings.Cut(kv, "=")
		if m, ok := secrets.Classify(name, value); ok {
			r.add(im003.New(r.configLocation(), "environment variable %s holds a %s: %s%s",
				name, m.Detector, m.Redacted, noteSuffix(m)))
		}
	}
	for _, name := range sortedKeys(cfg.Config.Labels) {
		if m, ok := secrets.Classify(name, cfg.Config.Labels[name]); ok {
			r.add(im003.New(r.configLocation(), "label %s holds a %s: %s%s",
				name, m.Detector, m.Redacted, noteSuffix(m)))
		}
	}
}

func noteSuffix(m secrets.Match) string {
	if m.Note == "" {
		return ""
	}
	return " (" + m.Note + ")"
}
