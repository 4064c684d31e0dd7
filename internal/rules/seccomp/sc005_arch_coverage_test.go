package seccomp

import (
	"testing"

	"github.com/dockward/dockward/internal/finding"
)

func TestArchCoverage(t *testing.T) {
	runRuleCases(t, "SC005", []ruleCase{
		{"archMap with sub-architectures", allowList(""), nil},
		{"architectures complete", `{"defaultAction": "SCMP_ACT_ALLOW",
"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]}`, nil},
		{"x86_64 alone", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"]}`, []string{
			"1:55 SCMP_ARCH_X86_64 is listed without SCMP_ARCH_X86 and SCMP_ARCH_X32: syscalls of that ABI hit the bad-architecture action"}},
		{"aarch64 archMap without arm", `{"defaultAction": "SCMP_ACT_ALLOW",
"archMap": [{"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": []}]}`, []string{
			"2:13 archMap gives SCMP_ARCH_AARCH64 no SCMP_ARCH_ARM: syscalls of that ABI hit the bad-architecture action"}},
		{"no architectures", `{"defaultAction": "SCMP_ACT_ALLOW"}`, []string{
			"1:1 the profile lists no architectures, so it covers only the native ABI: syscalls of the 32-bit ABIs hit the bad-architecture action"}},
	})
}

func TestArchCoverageSeverity(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		want    finding.Severity
	}{
		{"block-list", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"]}`, finding.Low},
		{"allow-list", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"]}`, finding.Info},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := Lint("p.json", []byte(tt.profile))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if f.RuleID == "SC005" && f.Severity != tt.want {
					t.Errorf("severity = %s, want %s", f.Severity, tt.want)
				}
			}
		})
	}
}
