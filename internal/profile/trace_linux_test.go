package profile

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func traceCommand(t *testing.T, command ...string) *Trace {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tr, err := Run(ctx, Options{Command: command})
	require.NoError(t, err)
	return tr
}

func fileAccess(tr *Trace, path string) (FileAccess, bool) {
	for _, f := range tr.Files {
		if f.Path == path {
			return f, true
		}
	}
	return FileAccess{}, false
}

func TestRunShellFiles(t *testing.T) {
	sh, err := exec.LookPath("sh")
	require.NoError(t, err)
	dir := t.TempDir()
	script := `cat /etc/hostname >/dev/null; echo hi > ` + dir + `/out; mkdir ` + dir +
		`/sub; mv ` + dir + `/out ` + dir + `/sub/moved; exit 3`

	tr := traceCommand(t, sh, "-c", script)

	require.Equal(t, 3, tr.ExitCode)
	require.False(t, tr.TimedOut)
	native := nativeArch()
	require.Contains(t, tr.Syscalls, native)
	require.Contains(t, tr.Syscalls[native], "execve")
	require.Contains(t, tr.Syscalls[native], "exit_group")
	require.Greater(t, tr.Processes, 1, "the shell forks cat, mkdir and mv")

	hostname, ok := fileAccess(tr, "/etc/hostname")
	require.True(t, ok, "files: %v", tr.Files)
	require.Equal(t, "r", hostname.Access)

	tests := []struct {
		path   string
		access string
	}{
		{dir + "/out", "w"},
		{dir + "/sub", "w"},
		{dir + "/sub/moved", "w"},
	}
	for _, tt := range tests {
		f, ok := fileAccess(tr, tt.path)
		require.True(t, ok, "%s missing from %v", tt.path, tr.Files)
		require.Contains(t, f.Access, tt.access, tt.path)
	}

	catPath, err := exec.LookPath("cat")
	require.NoError(t, err)
	catPath, err = filepath.EvalSymlinks(catPath)
	require.NoError(t, err)
	require.True(t, slices.Contains(tr.Executed, catPath), "executed: %v", tr.Executed)
}

func TestRunDeniedCalls(t *testing.T) {
	if os.Geteuid() == 0 {
		// Root may read the file, so drop to user 65534 with setpriv.
		if _, err := exec.LookPath("setpriv"); err != nil {
			t.Skip("needs a non-root user or setpriv")
		}
	}
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(secret, []byte("x"), 0o600))
	require.NoError(t, os.Chmod(dir, 0o755))

	cmd := []string{"cat", secret}
	if os.Geteuid() == 0 {
		cmd = append([]string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}, cmd...)
	}
	tr := traceCommand(t, cmd...)

	require.NotEqual(t, 0, tr.ExitCode)
	var found bool
	for _, d := range tr.Denied {
		if d.Path == secret && d.Errno == "EACCES" {
			found = true
		}
	}
	require.True(t, found, "denied: %+v", tr.Denied)
}

func TestRunSockets(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	tr := traceCommand(t, python, "-c",
		"import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); socket.socketpair()")
	require.Equal(t, 0, tr.ExitCode)
	require.Contains(t, tr.Sockets, Socket{Family: "inet6", Type: "dgram"})
	require.Contains(t, tr.Sockets, Socket{Family: "unix", Type: "stream"})
}

func TestRunThreads(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	tr := traceCommand(t, python, "-c",
		"import threading, os\n"+
			"def f(): os.getppid()\n"+
			"ts=[threading.Thread(target=f) for _ in range(3)]\n"+
			"[t.start() for t in ts]; [t.join() for t in ts]")
	require.Equal(t, 0, tr.ExitCode)
	require.GreaterOrEqual(t, tr.Processes, 4)
	require.Contains(t, tr.Syscalls[nativeArch()], "getppid")
}

func TestRunInt80Arch(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("int $0x80 needs x86_64")
	}
	dir := filepath.Join(t.TempDir(), "made-by-int80")
	bin := writeInt80Binary(t, dir)

	tr := traceCommand(t, bin)

	require.Equal(t, 0, tr.ExitCode, "signal %s", tr.Signal)
	require.Contains(t, tr.Syscalls["SCMP_ARCH_X86"], "mkdir")
	require.Contains(t, tr.Syscalls["SCMP_ARCH_X86_64"], "exit_group")
	require.DirExists(t, dir)
}

func TestRunTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	tr, err := Run(ctx, Options{Command: []string{"sleep", "30"}})
	require.NoError(t, err)
	require.True(t, tr.TimedOut)
	require.Equal(t, "SIGKILL", tr.Signal)
}
