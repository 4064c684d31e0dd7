package apparmor

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// InvalidProfile fires on a statement apparmor_parser would reject.
var InvalidProfile = &rule.Rule{
	ID:       "AA000",
	Slug:     "invalid-apparmor-profile",
	Title:    "Invalid AppArmor profile",
	Severity: finding.High,
	Kind:     rule.KindAppArmor,
	Description: "The profile has a statement that apparmor_parser rejects: a rule without its " +
		"trailing comma, an unbalanced brace, an unknown rule or capability, invalid file " +
		"permissions, or a variable that nothing declares. The profile then fails to load, and " +
		"the container either fails to start or, where the runtime falls back, runs without it.",
	Fix:  "Correct the statement on the reported line, then check with `apparmor_parser -Q -K FILE`.",
	Bad:  "profile app {\n  capability sys_foo,\n  file\n}",
	Good: "profile app {\n  capability chown,\n  /srv/app/** r,\n}",
	Limits: "The reader follows the grammar of AppArmor 3.0 for the rules containers use; dbus, " +
		"unix, rlimit and similar rules are accepted without checking their options. Each verdict " +
		"is compared with apparmor_parser -Q in the integration tests.",
}

func checkInvalid(t *target) []finding.Finding {
	var out []finding.Finding
	for _, e := range t.file.Errors {
		out = append(out, InvalidProfile.New(t.loc(e.Line), "%s", e.Reason))
	}
	return out
}
