package seccomp

import "testing"

func TestCannotStart(t *testing.T) {
	runRuleCases(t, "SC003", []ruleCase{
		{"startup set allowed", allowList(""), nil},
		{"network calls only", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["socket", "bind", "listen", "accept", "connect"], "action": "SCMP_ACT_ALLOW"}]}`, []string{
			"1:19 the container cannot start: arch_prctl, capget, capset, chdir, close, execve, exit_group or exit, " +
				"faccessat2 or faccessat, fstat, fstatfs, futex, getcwd, getdents64, getppid, mmap or brk, mprotect, " +
				"newfstatat, openat, prctl, read, setgid, setgroups, setuid and write are denied, and runc or " +
				"the process call them after the filter is installed"}},
		{"explicit deny in a block-list", `{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [{"names": ["getdents64"], "action": "SCMP_ACT_ERRNO"}]}`, []string{
			"2:25 the container cannot start: getdents64 is denied, and runc or the process call it after the filter is installed"}},
		{"faccessat instead of faccessat2", `{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [{"names": ["faccessat2"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}`, nil},
		{"conditional deny in a block-list", `{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [{"names": ["openat"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 2, "value": 64, "valueTwo": 64, "op": "SCMP_CMP_MASKED_EQ"}]}]}`, nil},
		{"aarch64 needs no arch_prctl", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_AARCH64"],
"syscalls": [{"names": ["capget", "capset", "chdir", "close", "execve", "exit_group",
"faccessat", "fstat", "fstatfs", "futex", "getcwd", "getdents64", "getppid", "mmap", "mprotect",
"newfstatat", "openat", "prctl", "read", "setgid", "setgroups", "setuid", "write"], "action": "SCMP_ACT_ALLOW"}]}`, nil},
		{"base profile inherits the runtime", `apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata: {name: app}
spec:
  defaultAction: SCMP_ACT_ERRNO
  baseProfileName: runc-v1.1.5
  syscalls: [{action: SCMP_ACT_ALLOW, names: [socket]}]
`, nil},
	})
}
