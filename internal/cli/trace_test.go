package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTraceCommandWritesTrace(t *testing.T) {
	out, stderr, code := run(t, "", "trace", "--", "sh", "-c", "exit 0")
	require.Equal(t, 0, code, stderr)

	var trace struct {
		Command  []string
		Syscalls map[string]map[string]int
	}
	require.NoError(t, json.Unmarshal([]byte(out), &trace))
	require.Equal(t, []string{"sh", "-c", "exit 0"}, trace.Command)
	require.NotEmpty(t, trace.Syscalls)
}

func TestTraceCommandNoCommand(t *testing.T) {
	_, stderr, code := run(t, "", "trace")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "no command to trace")
}

func TestProfileGenerateFromTraceFile(t *testing.T) {
	dir := t.TempDir()
	tracePath := filepath.Join(dir, "trace.json")
	_, stderr, code := run(t, "", "trace", "-o", tracePath, "--", "sh", "-c", "cat /etc/hostname >/dev/null")
	require.Equal(t, 0, code, stderr)

	out, stderr, code := run(t, "", "profile", "generate", "seccomp", "--trace", tracePath, "--allow", "uname")
	require.Equal(t, 0, code, stderr)
	var p struct {
		DefaultAction string
		Syscalls      []struct{ Names []string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	require.Equal(t, "SCMP_ACT_ERRNO", p.DefaultAction)
	require.Contains(t, p.Syscalls[0].Names, "uname")
	require.Contains(t, p.Syscalls[0].Names, "execve")

	out, stderr, code = run(t, "", "profile", "generate", "apparmor", "--trace", tracePath, "--name", "cat-test")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "profile cat-test ")
	require.Contains(t, out, "/etc/hostname r,")

	_, stderr, code = run(t, "", "profile", "generate", "apparmor", "--trace", tracePath)
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "missing --name")
}

func TestProfileTestLocalCommand(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "p.json")
	require.NoError(t, os.WriteFile(profile, []byte(
		`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO"}]}`), 0o644))

	// The test binary is the filter helper that profile test starts.
	t.Setenv(cliHelperEnv, "1")
	out, stderr, code := run(t, "", "profile", "test", profile, "--", "uname")
	require.Equal(t, 1, code, "uname fails under the profile: %s", stderr)
	require.NotContains(t, out, "simulated")
	require.True(t, strings.Contains(out, "uname -> EPERM"), out)
	require.Contains(t, out, "exit status: 1")
}

// cliHelperEnv makes the test binary run the dockward command line in its
// arguments, so it can be the helper that profile test starts.
const cliHelperEnv = "DOCKWARD_CLI_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(cliHelperEnv) == "1" && len(os.Args) > 1 && os.Args[1] == "profile" {
		os.Exit(Execute(context.Background(), os.Args[1:]))
	}
	os.Exit(m.Run())
}
