package seccomp

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCannotStart(t *testing.T) {
	runRuleCases(t, "SC003", []ruleCase{
		{"startup set allowed", allowList(""), nil},
		{"network calls only", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["socket", "bind", "listen", "accept", "connect"], "action": "SCMP_ACT_ALLOW"}]}`, []string{
			"1:19 the container cannot start: arch_prctl, capget, capset, chdir, close, execve, exit_group or exit, " +
				"faccessat2 or faccessat, fstat, fstatfs, futex, getcwd, getdents64, getppid, mmap or brk, mprotect, " +
				"newfstatat, openat, prctl, read, setgid, setgroups, setuid and write are denied, and runc or " +
				"the process call them after the filter is installed; with no-new-privileges, runc installs the filter " +
				"just before execve, but arch_prctl, close, execve, exit_group or exit, fstatfs, futex, getdents64, " +
				"mmap or brk, mprotect, openat and write would still be missing"}},
		{"explicit deny in a block-list", `{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [{"names": ["getdents64"], "action": "SCMP_ACT_ERRNO"}]}`, []string{
			"2:25 the container cannot start: getdents64 is denied, and runc or the process call it after the filter " +
				"is installed; with no-new-privileges it would still be missing"}},
		{"only setup calls denied", `{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [{"names": ["capset", "setuid"], "action": "SCMP_ACT_ERRNO"}]}`, []string{
			"2:25 the container cannot start: capset is denied, and runc or the process call it after " +
				"the filter is installed; with no-new-privileges, runc installs the filter just before execve and " +
				"it would not be missing",
			"2:35 the container cannot start: setuid is denied, and runc or the process call it after " +
				"the filter is installed; with no-new-privileges, runc installs the filter just before execve and " +
				"it would not be missing"}},
		{"setup calls denied by default", `{"defaultAction": "SCMP_ACT_ERRNO",
"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
"syscalls": [{"names": ["arch_prctl", "close", "execve", "exit_group", "fstatfs", "futex", "getdents64",
"mmap", "mprotect", "openat", "write"], "action": "SCMP_ACT_ALLOW"}]}`, []string{
			"1:19 the container cannot start: capget, capset, chdir, faccessat2 or faccessat, fstat, getcwd, getppid, " +
				"newfstatat, prctl, read, setgid, setgroups and setuid are denied, and runc or the process call them " +
				"after the filter is installed; with no-new-privileges, runc installs the filter just before execve " +
				"and none of them would be missing"}},
		{"unknown default action", `{"defaultAction": "SCMP_ACT_DENY",
"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`, nil},
		{"missing default action", `{"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`, nil},
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

func TestCannotStartNoNewPrivileges(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		want    []string
	}{
		{"setup calls denied", `{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [{"names": ["capset", "setuid", "chdir"], "action": "SCMP_ACT_ERRNO"}]}`, nil},
		{"exec fifo calls denied", `{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [{"names": ["capset", "openat", "write"], "action": "SCMP_ACT_ERRNO"}]}`, []string{
			"2:35 the container cannot start with no-new-privileges: openat is denied, and runc or the " +
				"process call it after the filter is installed just before execve",
			"2:45 the container cannot start with no-new-privileges: write is denied, and runc or the " +
				"process call it after the filter is installed just before execve"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := LintWith("p.json", []byte(tc.profile), LintOptions{NoNewPrivileges: true})
			if err != nil {
				t.Fatalf("LintWith: %v", err)
			}
			got := messagesOf(fs, "SC003")
			if len(got) != len(tc.want) {
				t.Fatalf("SC003 findings = %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("finding %d:\n got %s\nwant %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestCannotStartCorpusNoNewPrivileges lints a real profile that a script
// runs with --security-opt no-new-privileges. It lacks many syscalls of
// runc's setup, which no-new-privileges moves before the filter, but also
// fstatfs and mprotect, so busybox does not start under it with runc 1.1.5
// either ("ensure /proc/self/fd is on procfs: operation not permitted").
func TestCannotStartCorpusNoNewPrivileges(t *testing.T) {
	data, err := os.ReadFile(corpusDir + "/dbmon-app-custom.seccomp.json")
	if err != nil {
		t.Skipf("corpus profile not available: %v", err)
	}
	fs, err := LintWith("dbmon.json", data, LintOptions{NoNewPrivileges: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2:22 the container cannot start with no-new-privileges: fstatfs and mprotect are denied, and " +
		"runc or the process call them after the filter is installed just before execve"}
	if diff := cmp.Diff(want, messagesOf(fs, "SC003")); diff != "" {
		t.Errorf("SC003 with no-new-privileges (-want +got):\n%s", diff)
	}

	fs, err = Lint("dbmon.json", data)
	if err != nil {
		t.Fatal(err)
	}
	got := messagesOf(fs, "SC003")
	if len(got) != 1 {
		t.Fatalf("SC003 without no-new-privileges = %q, want one finding", got)
	}
	if !strings.HasSuffix(got[0], "but fstatfs and mprotect would still be missing") {
		t.Errorf("SC003 message does not name what no-new-privileges leaves missing: %s", got[0])
	}
}
