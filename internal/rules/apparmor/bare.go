package apparmor

import (
	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// bareRules returns a finding for each allowing bare rule of a kind.
func bareRules(t *target, r *rule.Rule, kind input.Kind, format string) []finding.Finding {
	var out []finding.Finding
	for _, p := range t.ruleHolders() {
		for _, x := range ownRules(p) {
			if x.Kind == kind && x.Bare && !x.Deny {
				out = append(out, r.New(t.loc(x.Line), format, profileName(p)))
			}
		}
	}
	return out
}

func profileName(p *input.Profile) string {
	if p.Name == "" {
		return "the abstraction"
	}
	return "profile " + p.Name
}
