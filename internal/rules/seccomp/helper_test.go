package seccomp

import (
	"fmt"
	"testing"

	"github.com/dockward/dockward/internal/finding"
)

// ruleCase is one profile and the messages one rule must produce for it.
type ruleCase struct {
	name    string
	profile string
	want    []string // "line:column message" per finding of the rule
}

func runRuleCases(t *testing.T, id string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := Lint("p.json", []byte(tc.profile))
			if err != nil {
				t.Fatalf("Lint: %v", err)
			}
			got := messagesOf(fs, id)
			if len(got) != len(tc.want) {
				t.Fatalf("%s findings = %q, want %q", id, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("finding %d:\n got %s\nwant %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func messagesOf(fs []finding.Finding, id string) []string {
	var out []string
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, fmt.Sprintf("%d:%d %s", f.Location.StartLine, f.Location.StartColumn, f.Message))
		}
	}
	return out
}

// allowList returns an allow-list profile on x86_64 with its ABIs that
// allows the startup syscalls and extra.
func allowList(extra string) string {
	return `{"defaultAction": "SCMP_ACT_ERRNO",
"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
"syscalls": [{"names": ["arch_prctl", "capget", "capset", "chdir", "close", "execve", "exit_group",
"faccessat2", "fstat", "fstatfs", "futex", "getcwd", "getdents64", "getppid", "mmap", "mprotect",
"newfstatat", "openat", "prctl", "read", "setgid", "setgroups", "setuid", "write"], "action": "SCMP_ACT_ALLOW"}` +
		extra + `]}`
}
