// Package meta holds the rules about dockward's own directives, such as an
// inline suppression that gives no reason.
package meta

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// SuppressionWithoutReason fires on a dockward:ignore comment with no reason.
var SuppressionWithoutReason = &rule.Rule{
	ID:       "DW001",
	Slug:     "suppression-without-reason",
	Title:    "Suppression gives no reason",
	Severity: finding.Low,
	Kind:     rule.KindMeta,
	Description: "A dockward:ignore comment must say why the finding is acceptable, so that " +
		"reviewers can judge it later. The suppression still applies.",
	Fix: "Write the reason after the rule IDs: `# dockward:ignore DF004 pinned by the release job`.",
	Bad: "# dockward:ignore DF004\nFROM alpine",
	Good: "# dockward:ignore DF004 the release job pins this image by digest\n" +
		"FROM alpine",
}

// UnknownRule fires on a dockward:ignore comment that names no known rule.
var UnknownRule = &rule.Rule{
	ID:       "DW002",
	Slug:     "suppression-unknown-rule",
	Title:    "Suppression names an unknown rule",
	Severity: finding.Low,
	Kind:     rule.KindMeta,
	Description: "A dockward:ignore comment names a rule ID or slug that does not exist, " +
		"often a typo, so it suppresses nothing.",
	Fix:  "Use an ID or slug listed by `dockward rules`.",
	Bad:  "# dockward:ignore DF999 typo\nFROM alpine",
	Good: "# dockward:ignore DF004 pinned elsewhere\nFROM alpine",
}

// SuppressionWithoutTarget fires on a dockward:ignore comment that has no
// line after it to apply to.
var SuppressionWithoutTarget = &rule.Rule{
	ID:       "DW003",
	Slug:     "suppression-without-target",
	Title:    "Suppression has nothing to apply to",
	Severity: finding.Info,
	Kind:     rule.KindMeta,
	Description: "A dockward:ignore comment on its own line applies to the next line that is " +
		"neither blank nor a comment. This one is followed by none, so it suppresses nothing.",
	Fix:  "Move the comment directly above the instruction or key it is meant for.",
	Bad:  "FROM alpine\n# dockward:ignore DF020 no health check needed",
	Good: "# dockward:ignore DF020 a batch job needs no health check\nFROM alpine",
}

// Rules lists the meta rules.
var Rules = []*rule.Rule{SuppressionWithoutReason, UnknownRule, SuppressionWithoutTarget}
