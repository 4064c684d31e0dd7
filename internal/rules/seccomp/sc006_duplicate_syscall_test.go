package seccomp

import "testing"

func TestDuplicateSyscall(t *testing.T) {
	runRuleCases(t, "SC006", []ruleCase{
		{"each once", allowList(`, {"names": ["kill"], "action": "SCMP_ACT_ALLOW"}`), nil},
		{"different actions", allowList(`, {"names": ["read"], "action": "SCMP_ACT_ERRNO"}`), []string{
			"5:125 read has action SCMP_ACT_ERRNO here and SCMP_ACT_ALLOW on line 5: which applies depends on libseccomp, not the file order"}},
		{"twice in one rule", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["kill", "kill"], "action": "SCMP_ACT_ALLOW"}]}`,
			[]string{"1:69 kill is already listed on line 1"}},
		{"conditional alternatives", allowList(`, {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}`), nil},
	})
}
