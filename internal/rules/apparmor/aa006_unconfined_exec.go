package apparmor

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// UnconfinedExec fires on an exec transition that may leave confinement.
var UnconfinedExec = &rule.Rule{
	ID:       "AA006",
	Slug:     "apparmor-unconfined-exec",
	Title:    "Exec transition to unconfined",
	Severity: finding.High,
	Kind:     rule.KindAppArmor,
	Description: "The exec modes ux and Ux run the program unconfined, and pux, PUx, cux and CUx " +
		"fall back to unconfined when the target profile is missing. A process that can run that " +
		"program, or replace it, leaves the profile behind. `change_profile -> unconfined`, and a " +
		"bare `change_profile,` that allows any target, let the process leave it without an exec rule.",
	Fix:  "Use ix to inherit the profile, or px/cx with a profile that exists, without the u.",
	Bad:  "profile app {\n  /usr/bin/helper ux,\n}",
	Good: "profile app {\n  /usr/bin/helper ix,\n}",
}

func checkUnconfinedExec(t *target) []finding.Finding {
	var out []finding.Finding
	for _, p := range t.ruleHolders() {
		for _, r := range ownRules(p) {
			if r.Kind != input.KindFile || r.Deny || !strings.ContainsAny(r.Perms, "uU") {
				continue
			}
			out = append(out, UnconfinedExec.New(t.loc(r.Line), "%s runs %s with %s, which can execute it unconfined",
				profileName(p), r.Path, execMode(r.Perms)))
		}
		out = append(out, unconfinedChange(t, p)...)
	}
	return out
}

// unconfinedChange reports change_profile rules that allow a change to
// unconfined.
func unconfinedChange(t *target, p *input.Profile) []finding.Finding {
	var out []finding.Finding
	for _, r := range ownRules(p) {
		if r.Kind != input.KindChangeProfile || r.Deny {
			continue
		}
		switch {
		case r.Bare:
			out = append(out, UnconfinedExec.New(t.loc(r.Line),
				"%s allows change_profile to any profile, unconfined included", profileName(p)))
		case r.Target == "unconfined" || r.Target == "**" || r.Target == "*":
			out = append(out, UnconfinedExec.New(t.loc(r.Line),
				"%s allows change_profile -> %s, which leaves confinement", profileName(p), r.Target))
		}
	}
	return out
}

// execMode returns the exec part of a permission string, such as "Ux".
func execMode(perms string) string {
	i := strings.IndexAny(perms, "iuUpPcC")
	if i < 0 {
		return perms
	}
	return perms[i:]
}
