package seccomp

import (
	"strings"
	"testing"
)

func TestMorePermissive(t *testing.T) {
	runRuleCases(t, "SC007", []ruleCase{
		{"subset of the default", allowList(""), nil},
		{"adds kexec and mount", allowList(`, {"names": ["kexec_load", "mount"], "action": "SCMP_ACT_ALLOW"}`), []string{
			"1:19 the profile allows 2 syscalls beyond the runtime's default profile: kexec_load, mount"}},
		{"adds with the default's condition", allowList(
			`, {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}}`), nil},
	})
}

func TestMorePermissiveBlockList(t *testing.T) {
	fs, err := Lint("p.json", []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := messagesOf(fs, "SC007")
	if len(got) != 1 || !strings.Contains(got[0], "kexec_load") || !strings.Contains(got[0], "more") {
		t.Errorf("SC007 = %q, want one finding that lists kexec_load among many", got)
	}
}
