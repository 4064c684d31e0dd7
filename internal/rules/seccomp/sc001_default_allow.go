package seccomp

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// DefaultAllow fires on a profile whose default action lets unnamed
// syscalls run.
var DefaultAllow = &rule.Rule{
	ID:       "SC001",
	Slug:     "seccomp-default-allow",
	Title:    "Default action allows: the profile is a block-list",
	Severity: finding.Medium,
	Kind:     rule.KindSeccomp,
	Description: "With `defaultAction` SCMP_ACT_ALLOW or SCMP_ACT_LOG every syscall that no rule " +
		"names is allowed, including syscalls added to Linux after the profile was written. A " +
		"block-list has to name every dangerous syscall on every architecture and cannot keep up; " +
		"Docker's default profile is an allow-list for that reason.",
	Fix: "Set `defaultAction` to SCMP_ACT_ERRNO and list the syscalls the workload needs with " +
		"SCMP_ACT_ALLOW (`dockward profile generate seccomp` writes such a list from a trace).",
	Bad:  `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO"}]}`,
	Good: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}`,
	Limits: "SCMP_ACT_LOG as the default is reported too: it is a block-list that logs, often used " +
		"while recording a profile, and must not reach production.",
}

func checkDefaultAllow(t *target) []finding.Finding {
	p := t.profile
	if !t.defaultAllows() {
		return nil
	}
	return []finding.Finding{DefaultAllow.New(t.loc(p.DefaultAction.Pos),
		"defaultAction %s allows every syscall that no rule names", p.DefaultAction.Value)}
}
