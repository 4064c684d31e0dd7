package seccomp

import (
	"strings"
	"testing"
)

func TestMorePermissive(t *testing.T) {
	runRuleCases(t, "SC007", []ruleCase{
		{"subset of the default", allowList(""), nil},
		{"adds kexec and mount", allowList(`, {"names": ["kexec_load", "mount"], "action": "SCMP_ACT_ALLOW"}`), []string{
			"1:19 the profile allows 1 syscall that the runtime's default profile does not allow: kexec_load",
			"1:19 the profile allows 1 syscall under wider conditions than the runtime's default profile, which " +
				"allows it only with argument or capability conditions: mount"}},
		{"adds two the default denies", allowList(`, {"names": ["kexec_load", "add_key"], "action": "SCMP_ACT_ALLOW"}`), []string{
			"1:19 the profile allows 2 syscalls that the runtime's default profile does not allow: kexec_load, add_key"}},
		{"socket for every family", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW"}`), []string{
			"1:19 the profile allows 1 syscall under wider conditions than the runtime's default profile, which " +
				"allows it only with argument or capability conditions: socket"}},
		{"socket for AF_VSOCK", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}]}`), []string{
			"1:19 the profile allows 1 syscall under wider conditions than the runtime's default profile, which " +
				"allows it only with argument or capability conditions: socket"}},
		{"socket for families above AF_VSOCK", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 40, "op": "SCMP_CMP_GT"}]}`), []string{
			"1:19 the profile allows 1 syscall under wider conditions than the runtime's default profile, which " +
				"allows it only with argument or capability conditions: socket"}},
		{"socket for AF_UNIX", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}`), nil},
		{"socket for AF_UNIX and AF_INET6", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 10, "op": "SCMP_CMP_EQ"}]}`), nil},
		{"socket for AF_UNIX and AF_INET by range", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 2, "op": "SCMP_CMP_LE"}]}`), nil},
		{"socket up to AF_NETLINK with AF_AX25", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 16, "op": "SCMP_CMP_LE"}]}`), []string{
			"1:19 the profile allows 1 syscall under wider conditions than the runtime's default profile, which " +
				"allows it only with argument or capability conditions: socket"}},
		{"socket for AF_UNIX and one type", allowList(`, {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]}`), nil},
		{"clone with the default's flag mask", allowList(`, {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}`), nil},
		{"clone with fewer flags checked", allowList(`, {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 131072, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}`), []string{
			"1:19 the profile allows 1 syscall under wider conditions than the runtime's default profile, which " +
				"allows it only with argument or capability conditions: clone"}},
		{"clone with one exact flag value", allowList(`, {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 17, "op": "SCMP_CMP_EQ"}]}`), nil},
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
	if len(got) != 2 {
		t.Fatalf("SC007 = %q, want one finding for syscalls the default denies and one for wider conditions", got)
	}
	if !strings.Contains(got[0], "does not allow: ") || !strings.Contains(got[0], "kexec_load") {
		t.Errorf("first SC007 does not list kexec_load as denied by the default: %s", got[0])
	}
	if !strings.Contains(got[1], "wider conditions") || !strings.Contains(got[1], "mount") ||
		!strings.Contains(got[1], " more") {
		t.Errorf("second SC007 does not list mount among many with wider conditions: %s", got[1])
	}
	for _, f := range fs {
		if f.RuleID == "SC007" && f.Fix == MorePermissive.Fix {
			t.Errorf("SC007 finding keeps the rule's general fix text: %s", f.Message)
		}
	}
}
