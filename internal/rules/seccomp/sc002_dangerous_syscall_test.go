package seccomp

import (
	"strings"
	"testing"
)

func TestDangerousSyscall(t *testing.T) {
	runRuleCases(t, "SC002", []ruleCase{
		{"plain allow-list", allowList(""), nil},
		{"mount unconditional", allowList(`, {"names": ["mount"], "action": "SCMP_ACT_ALLOW"}`), []string{
			"5:125 mount is allowed without conditions: it mounts file systems, which can expose host devices " +
				"and paths, and the runtime's default profile allows it only with CAP_SYS_ADMIN"}},
		{"mount with the default's capability", allowList(
			`, {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}}`), nil},
		{"mount denied", allowList(`, {"names": ["mount"], "action": "SCMP_ACT_ERRNO"}`), nil},
		{"kexec never allowed by default", allowList(
			`, {"names": ["kexec_load"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_BOOT"]}}`), []string{
			"5:125 kexec_load is allowed only with CAP_SYS_BOOT: it loads a new kernel to boot into, " +
				"and the runtime's default profile denies it"}},
		{"personality with the default's argument", allowList(
			`, {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}`), nil},
		{"personality with any argument", allowList(`, {"names": ["personality"], "action": "SCMP_ACT_ALLOW"}`), []string{
			"5:125 personality is allowed without conditions: it changes the execution domain, for example to " +
				"disable address space randomisation, and the runtime's default profile allows it only when " +
				"arg0 == 0x0, or when arg0 == 0x20000, or when arg0 == 0x20008, or when arg0 == 0x8, or when arg0 == 0xffffffff"}},
		{"clone with namespace mask", allowList(`, {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}`), nil},
		{"ptrace is not on the list", allowList(`, {"names": ["ptrace", "process_vm_readv"], "action": "SCMP_ACT_ALLOW"}`), nil},
	})
}

func TestDangerousSyscallBlockList(t *testing.T) {
	fs, err := Lint("p.json", []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := messagesOf(fs, "SC002")
	if len(got) != 1 {
		t.Fatalf("SC002 findings = %q, want one", got)
	}
	if !strings.Contains(got[0], "kexec_load") || strings.Contains(got[0], " mount,") {
		t.Errorf("block-list finding should name kexec_load and not the denied mount: %s", got[0])
	}
}
