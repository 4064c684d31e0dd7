package image

import (
	"slices"
	"strconv"
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
	Limits: "Each value is reported once, at the first history entry that shows it, with the " +
		"other entries listed. Names are classified as in RT031, so a name that the secret " +
		"classifier does not recognise is reported only when its value has a known token format. ENV values still in the config are reported once, by IM003. Secrets that a " +
		"command builds at run time from pieces are not seen.",
}

// historySecret is one secret value in the history, with every entry
// that shows it.
type historySecret struct {
	// subject names where the value sits, such as "build argument
	// DB_PASSWORD" or "a RUN command".
	subject string
	match   secrets.Match
	entries []historyEntry
}

// maxListedEntries caps the history entries one finding names.
const maxListedEntries = 8

func checkHistorySecrets(r *result) {
	cfg := r.in.Config
	if cfg == nil {
		return
	}
	var found []*historySecret
	byKey := map[string]*historySecret{}
	// add records a secret under a key of its kind, name and value, so
	// that a build argument every RUN repeats gives one finding.
	add := func(key, subject string, m secrets.Match, h historyEntry) {
		s := byKey[key]
		if s == nil {
			s = &historySecret{subject: subject, match: m}
			byKey[key] = s
			found = append(found, s)
		}
		if n := len(s.entries); n == 0 || s.entries[n-1].index != h.index {
			s.entries = append(s.entries, h)
		}
	}
	scanner := secrets.Default()
	for _, h := range readHistory(cfg) {
		for _, kv := range h.buildArgs {
			name, value, _ := strings.Cut(kv, "=")
			if m, ok := secrets.Classify(name, value); ok {
				add("arg\x00"+name+"\x00"+value, "build argument "+name, m, h)
			}
		}
		switch h.instruction {
		case "ARG":
			for _, kv := range strings.Fields(h.args) {
				name, value, ok := strings.Cut(kv, "=")
				if !ok {
					continue
				}
				value = unquote(value)
				if m, ok := secrets.Classify(name, value); ok {
					add("arg\x00"+name+"\x00"+value, "build argument "+name, m, h)
				}
			}
		case "ENV":
			for _, kv := range envPairs(h.args) {
				name, value, _ := strings.Cut(kv, "=")
				if slices.Contains(cfg.Config.Env, kv) {
					continue // still in the config: IM003 reports it
				}
				if m, ok := secrets.Classify(name, value); ok {
					add("env\x00"+name+"\x00"+value, "environment variable "+name, m, h)
				}
			}
		case "RUN", "":
			for _, m := range scanner.Scan("history", []byte(h.args)) {
				add("run\x00"+m.Detector+"\x00"+h.args[m.Start:m.End], "a RUN command", m, h)
			}
		}
	}
	for _, s := range found {
		m := s.match
		r.add(im004.New(r.historyLocation(s.entries[0]), "%s holds a %s: %s%s, shown in %s",
			s.subject, m.Detector, m.Redacted, noteSuffix(m), describeEntries(s.entries)))
	}
}

// describeEntries lists history entries as "history entries 2 (ARG), 14
// (RUN) and 15 (RUN)", naming at most maxListedEntries of them.
func describeEntries(entries []historyEntry) string {
	if len(entries) == 1 {
		return entries[0].describe()
	}
	var parts []string
	for _, h := range entries[:min(len(entries), maxListedEntries)] {
		parts = append(parts, strings.TrimPrefix(h.describe(), "history entry "))
	}
	if more := len(entries) - len(parts); more > 0 {
		return "history entries " + strings.Join(parts, ", ") + " and " + strconv.Itoa(more) + " more"
	}
	last := len(parts) - 1
	return "history entries " + strings.Join(parts[:last], ", ") + " and " + parts[last]
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
