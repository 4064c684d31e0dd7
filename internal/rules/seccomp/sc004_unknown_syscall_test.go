package seccomp

import (
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/finding"
)

func TestUnknownSyscall(t *testing.T) {
	runRuleCases(t, "SC004", []ruleCase{
		{"known names", allowList(""), nil},
		{"misspelt name", allowList(`, {"names": ["fstat64x"], "action": "SCMP_ACT_ALLOW"}`), []string{
			"5:125 fstat64x is not a Linux syscall on any architecture: runtimes skip the name, so this rule does nothing for it"}},
		{"name of another architecture", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_AARCH64"],
"syscalls": [{"names": ["open"], "action": "SCMP_ACT_ALLOW"}]}`, []string{
			"2:25 open is not a syscall of SCMP_ARCH_AARCH64: runtimes skip the name there, so this rule does nothing for it"}},
		{"name on one of several architectures", `{"defaultAction": "SCMP_ACT_ERRNO",
"architectures": ["SCMP_ARCH_AARCH64", "SCMP_ARCH_X86_64"], "syscalls": [{"names": ["open"], "action": "SCMP_ACT_ALLOW"}]}`, nil},
		{"rule for an unlisted architecture", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["swapcontext"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["ppc64le"]}}]}`, nil},
	})
}

func TestUnknownSyscallLibseccompInfo(t *testing.T) {
	fs, err := Lint("p.json", []byte(allowList(`, {"names": ["mseal"], "action": "SCMP_ACT_ALLOW"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var got []finding.Finding
	for _, f := range fs {
		if f.RuleID == "SC004" {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("SC004 findings = %d, want 1", len(got))
	}
	if got[0].Severity != finding.Info {
		t.Errorf("severity = %s, want info", got[0].Severity)
	}
	if !strings.Contains(got[0].Message, "libseccomp") {
		t.Errorf("message does not name libseccomp: %s", got[0].Message)
	}
}
