package apparmor

import (
	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// BareCapability fires on a "capability," rule.
var BareCapability = &rule.Rule{
	ID:       "AA002",
	Slug:     "apparmor-bare-capability",
	Title:    "Bare capability rule allows every capability",
	Severity: finding.Low,
	Kind:     rule.KindAppArmor,
	Description: "`capability,` lets the confined process use every capability it holds, so " +
		"AppArmor does not narrow capabilities at all and the container's capability set is the " +
		"only limit.",
	Fix:  "List the capabilities the program uses, such as `capability net_bind_service,`.",
	Bad:  "profile app {\n  capability,\n}",
	Good: "profile app {\n  capability net_bind_service setuid setgid,\n}",
}

func checkBareCapability(t *target) []finding.Finding {
	return bareRules(t, BareCapability, input.KindCapability,
		"%s allows every capability the process holds")
}
