package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/moby/profiles/seccomp"
	"github.com/stretchr/testify/require"
)

// helperEnv makes the test binary act as the helper of VerifyCommand:
// os.Args is then [binary, program file, "--", command...].
const helperEnv = "DOCKWARD_TEST_EXEC_FILTER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		prog, err := ReadProgram(os.Args[1])
		argv := os.Args[3:]
		if err == nil {
			argv[0], err = exec.LookPath(argv[0])
		}
		if err == nil {
			err = InstallAndExec(prog, argv, os.Environ())
		}
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(126)
	}
	os.Exit(m.Run())
}

func verifyLocal(t *testing.T, profile string, command ...string) *VerifyResult {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	exe, err := os.Executable()
	require.NoError(t, err)
	opts := Options{Command: command, Env: append(os.Environ(), helperEnv+"=1")}
	res, err := VerifyCommand(ctx, []byte(profile), opts, []string{exe})
	require.NoError(t, err)
	return res
}

func TestVerifyCommandFilter(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the profiles name x86_64 syscalls")
	}
	def, err := json.Marshal(seccomp.DefaultProfile())
	require.NoError(t, err)
	sh := "/bin/sh"

	tests := []struct {
		name       string
		profile    string
		command    []string
		wantExit   int
		wantSignal string
		wantDenied []string
	}{
		{name: "default profile", profile: string(def), command: []string{sh, "-c", "uname >/dev/null"}},
		{
			name:       "errno action",
			profile:    `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO"}]}`,
			command:    []string{sh, "-c", "uname >/dev/null"},
			wantExit:   1,
			wantDenied: []string{"uname"},
		},
		{
			name: "equal condition not met",
			profile: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			  {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}]}`,
			command: []string{sh, "-c", "uname >/dev/null"},
		},
		{
			name: "not equal condition met",
			profile: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			  {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_NE"}]}]}`,
			command:    []string{sh, "-c", "uname >/dev/null"},
			wantExit:   1,
			wantDenied: []string{"uname"},
		},
		{
			name: "greater or equal condition",
			profile: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			  {"names": ["write"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 2, "value": 5, "op": "SCMP_CMP_GE"}]}]}`,
			command:    []string{sh, "-c", "echo ab >/dev/null && echo abcdef >/dev/null"},
			wantExit:   1,
			wantDenied: []string{"write"},
		},
		{
			name: "less than condition",
			profile: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			  {"names": ["write"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 2, "value": 3, "op": "SCMP_CMP_LT"}]}]}`,
			command:    []string{sh, "-c", "echo abc >/dev/null && echo a >/dev/null"},
			wantExit:   1,
			wantDenied: []string{"write"},
		},
		{
			name: "greater than condition not met",
			profile: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			  {"names": ["write"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 2, "value": 4294967296, "op": "SCMP_CMP_GT"}]}]}`,
			command: []string{sh, "-c", "echo abc >/dev/null"},
		},
		{
			name: "masked condition",
			profile: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			  {"names": ["openat"], "action": "SCMP_ACT_ERRNO",
			   "args": [{"index": 2, "value": 64, "valueTwo": 64, "op": "SCMP_CMP_MASKED_EQ"}]}]}`,
			command:    []string{sh, "-c", "cat /etc/hostname >/dev/null && : > " + filepath.Join(t.TempDir(), "new")},
			wantExit:   2,
			wantDenied: []string{"openat"},
		},
		{
			name:       "kill action",
			profile:    `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS"}]}`,
			command:    []string{"uname"},
			wantExit:   -1,
			wantSignal: "SIGSYS",
			wantDenied: []string{"uname"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := verifyLocal(t, tt.profile, tt.command...)
			require.True(t, res.Started, res.Summary())
			require.False(t, res.Simulated)
			require.Equal(t, tt.wantExit, res.ExitCode, res.Summary())
			require.Equal(t, tt.wantSignal, res.Signal, res.Summary())
			var denied []string
			for _, d := range res.WorkloadDenied() {
				denied = append(denied, d.Syscall)
			}
			require.Equal(t, tt.wantDenied, denied, res.Summary())
		})
	}
}

func TestVerifyCommandArchitectures(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("int $0x80 needs x86_64")
	}
	dir := filepath.Join(t.TempDir(), "made")
	bin := writeInt80Binary(t, dir)

	only64 := `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"]}`
	res := verifyLocal(t, only64, bin)
	require.Equal(t, "SIGSYS", res.Signal, res.Summary())
	require.NoDirExists(t, dir)

	both := `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]}`
	res = verifyLocal(t, both, bin)
	require.True(t, res.OK(), res.Summary())
	require.DirExists(t, dir)
}

func TestCompileDefaultProfile(t *testing.T) {
	def, err := json.Marshal(seccomp.DefaultProfile())
	require.NoError(t, err)
	f, err := NewFilter(def, nil)
	require.NoError(t, err)
	prog, err := f.Compile()
	require.NoError(t, err)
	require.NotEmpty(t, prog)

	path := filepath.Join(t.TempDir(), "prog")
	require.NoError(t, WriteProgram(path, prog))
	got, err := ReadProgram(path)
	require.NoError(t, err)
	require.Equal(t, prog, got)

	require.NoError(t, os.WriteFile(path, []byte("1234567"), 0o600))
	_, err = ReadProgram(path)
	require.ErrorContains(t, err, "not a positive multiple of 8")
}
