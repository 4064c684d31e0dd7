package seccomp

import "testing"

func TestDefaultAllow(t *testing.T) {
	runRuleCases(t, "SC001", []ruleCase{
		{"allow-list", allowList(""), nil},
		{"kill default", `{"defaultAction": "SCMP_ACT_KILL_PROCESS", "syscalls": []}`, nil},
		{"allow default", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO"}]}`,
			[]string{"1:19 defaultAction SCMP_ACT_ALLOW allows every syscall that no rule names"}},
		{"log default", `{"defaultAction": "SCMP_ACT_LOG"}`,
			[]string{"1:19 defaultAction SCMP_ACT_LOG allows every syscall that no rule names"}},
	})
}
