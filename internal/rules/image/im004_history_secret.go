package image

import (
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

var im004 = &rule.Rule{
	ID: "IM004", Slug: "image-history-secret", Severity: finding.High, Kind: rule.KindImage,
	Title: "Secret visible in the image history",
	Description: "The image history records each build step: the build arguments a RUN saw, ARG " +
		"defaults, ENV values and RUN commands. `docker history --no-trunc` shows them to anyone " +
		"who can pull the image, even when a later step removed the variable. A value that a " +
		"secret detector recognises there is leaked. Values are always shown redacted.",
	Fix: "Rotate the credential. Pass build-time secrets with `RUN --mount=type=secret,id=...` " +
		"(BuildKit), never with --build-arg, ARG defaults, ENV or the command line.",
	Bad:  "ARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=$NPM_TOKEN\" > ~/.npmrc && npm ci",
	Good: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
	Limits: "ENV values still in the config are reported once, by IM003. Secrets that a command " +
		"builds at run time from pieces are not seen.",
}

func checkHistorySecrets(r *result) {
	cfg := r.in.Config
	if cfg == nil {
		return
	}
	scanner := secrets.Default()
	for _, h := range readHistory(cfg) {
		seen := map[string]bool{}
		report := func(what string, m secrets.Match) {
			key := what + "\x00" + m.Detector + "\x00" + m.Name + "\x00" + m.Redacted
			if seen[key] {
				return
			}
			seen[key] = true
			r.add(im004.New(r.historyLocation(h), "%s %s a %s: %s%s",
				h.describe(), what, m.Detector, m.Redacted, noteSuffix(m)))
		}
		for _, kv := range h.buildArgs {
			name, value, _ := strings.Cut(kv, "=")
			if m, ok := secrets.Classify(name, value); ok {
				report("passes build argument "+name+" with", m)
			}
		}
		switch h.instruction {
		case "ARG":
			for _, kv := range strings.Fields(h.args) {
				name, value, ok := strings.Cut(kv, "=")
				if !ok {
					continue
				}
				if m, ok := secrets.Classify(name, unquote(value)); ok {
					report("sets build argument "+name+" to", m)
				}
			}
		case "ENV":
			for _, kv := range envPairs(h.args) {
				name, value, _ := strings.Cut(kv, "=")
				if slices.Contains(cfg.Config.Env, kv) {
					continue // still in the config: IM003 reports it
				}
				if m, ok := secrets.Classify(name, value); ok {
					report("sets environment variable "+name+" to", m)
				}
			}
		case "RUN", "":
			for _, m := range scanner.Scan("history", []byte(h.args)) {
				report("runs a command with", m)
			}
		}
	}
}

// envPairs reads "A=1 B=2" and the legacy "A 1" form of ENV as NAME=value.
func envPairs(args string) []string {
	if name, value, ok := strings.Cut(args, " "); ok && !strings.Contains(name, "=") {
		return []string{name + "=" + unquote(strings.TrimSpace(value))}
	}
	var out []string
	for _, kv := range strings.Fields(args) {
		name, value, ok := strings.Cut(kv, "=")
		if ok {
			out = append(out, name+"="+unquote(value))
		}
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}
