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

// SuppressionWithoutTarget fires on a dockward:ignore comment that
// suppresses nothing: no line follows it, or no finding of a rule it
// names is on the line or block it applies to.
var SuppressionWithoutTarget = &rule.Rule{
	ID:       "DW003",
	Slug:     "suppression-without-target",
	Title:    "Suppression matches no finding",
	Severity: finding.Info,
	Kind:     rule.KindMeta,
	Description: "A dockward:ignore comment on its own line applies to the next line that is " +
		"neither blank nor a comment, and to the whole block when that line is a key that opens " +
		"one. This one suppresses nothing for the rules listed in the message: no line follows " +
		"it, or none of their findings is on that line or block. The finding may be reported " +
		"on another line, such as a compose service's name or a command's first line, or it is " +
		"already fixed and the comment can go.",
	Fix: "Move the comment directly above the line the finding points at, or remove it " +
		"when nothing there needs suppressing.",
	Bad:  "FROM alpine\n# dockward:ignore DF020 no health check needed",
	Good: "# dockward:ignore DF020 a batch job needs no health check\nFROM alpine",
	Limits: "A directive is checked only for rules of a kind that reported something in the " +
		"file. For example, dockward secrets runs no runtime rules, so it does not call an RT002 " +
		"directive unused. Neither does a run in which the file has no runtime finding at all.",
}

// Rules lists the meta rules.
var Rules = []*rule.Rule{SuppressionWithoutReason, UnknownRule, SuppressionWithoutTarget}
