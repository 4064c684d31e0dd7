package seccomp

import "testing"

func TestInvalidProfile(t *testing.T) {
	runRuleCases(t, "SC000", []ruleCase{
		{"valid allow-list", allowList(""), nil},
		{"syntax error", "{\n\"defaultAction\": }", []string{
			`2:18 invalid JSON: unexpected '}', expected a value`}},
		{"errno as string", `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": "EPERM", "syscalls": []}`, []string{
			`1:56 defaultErrnoRet must be a non-negative integer, not the string "EPERM": write 1 for EPERM`}},
		{"empty names", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": [], "action": "SCMP_ACT_ALLOW"}]}`,
			[]string{"1:50 rule has an empty names list: name at least one syscall"}},
		{"no names", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"action": "SCMP_ACT_ALLOW"}]}`,
			[]string{`1:50 rule has no syscall names: add "names"`}},
		{"legacy name is valid", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "read", "action": "SCMP_ACT_ALLOW"}]}`, nil},
		{"unknown action", `{"defaultAction": "SCMP_ACT_DENY", "syscalls": []}`, []string{
			`1:19 unknown defaultAction "SCMP_ACT_DENY": use one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, ` +
				`SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY`}},
		{"bad operator", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ALLOW",
"args": [{"index": 0, "value": 8, "op": "EQ"}]}]}`, []string{
			`2:41 unknown argument operator "EQ": use one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, ` +
				`SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ`}},
		{"errnoRet with allow", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1}]}`,
			[]string{"1:110 errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW"}},
		{"architectures and archMap", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": []}], "syscalls": []}`, []string{
			"2:13 both architectures and archMap are set: Docker rejects the profile; keep one"}},
		{"unknown architecture", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["x86_64"], "syscalls": []}`, []string{
			`1:55 unknown architecture "x86_64": use an SCMP_ARCH_* name such as SCMP_ARCH_X86_64`}},
		{"misspelt key", `{"defaultAction": "SCMP_ACT_ERRNO", "syscall": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`,
			[]string{`1:37 unknown key "syscall": runtimes ignore it; did you mean "syscalls"?`}},
		{"misspelt rule key", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoret": 1}]}`,
			[]string{`1:98 unknown key "errnoret": runtimes ignore it; did you mean "errnoRet"?`}},
		{"notify without listener", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}`,
			[]string{"1:81 SCMP_ACT_NOTIFY needs listenerPath, the socket of the agent that decides"}},
	})
}
