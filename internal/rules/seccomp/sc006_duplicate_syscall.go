package seccomp

import (
	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/rule"
)

// DuplicateSyscall fires on a syscall named twice without conditions.
var DuplicateSyscall = &rule.Rule{
	ID:       "SC006",
	Slug:     "duplicate-syscall",
	Title:    "Syscall listed twice or with different actions",
	Severity: finding.Low,
	Kind:     rule.KindSeccomp,
	Description: "A syscall that two unconditional rules name, or one rule names twice, is at best " +
		"noise. When the actions differ, which one applies depends on how libseccomp orders the " +
		"rules, not on the order in the file, so the profile does not say what it does.",
	Fix:  "Keep one rule per syscall, or add conditions (`args`, `includes`) that tell the rules apart.",
	Bad:  `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ALLOW"}, {"names": ["kill"], "action": "SCMP_ACT_ERRNO"}]}`,
	Good: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ALLOW"}]}`,
	Limits: "Rules with argument, capability, architecture or kernel conditions are alternatives " +
		"and are not compared.",
}

func checkDuplicate(t *target) []finding.Finding {
	var out []finding.Finding
	first := make(map[string]input.Entry)
	for _, r := range t.profile.Syscalls {
		if r.Conditional() {
			continue
		}
		for _, n := range r.Names {
			prev, seen := first[n.Value]
			if !seen {
				first[n.Value] = input.Entry{Name: n, Rule: r}
				continue
			}
			if prev.Rule.Action.Value != r.Action.Value {
				out = append(out, DuplicateSyscall.New(t.loc(n.Pos),
					"%s has action %s here and %s on line %d: which applies depends on libseccomp, not the file order",
					n.Value, r.Action.Value, prev.Rule.Action.Value, prev.Name.Pos.Line))
				continue
			}
			out = append(out, DuplicateSyscall.New(t.loc(n.Pos), "%s is already listed on line %d",
				n.Value, prev.Name.Pos.Line))
		}
	}
	return out
}
