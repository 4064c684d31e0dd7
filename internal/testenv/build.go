package testenv

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	binMu    sync.Mutex
	binDir   string
	binBuilt = map[string]string{}
)

// StaticBinary builds the main package pkg (an import path, such as
// github.com/dockward/dockward/cmd/dockward) with CGO_ENABLED=0 and returns
// the binary's path. The result runs in an image without a C library, for
// example one built FROM scratch. Each test process builds a package once,
// into a directory that the next test process removes.
func StaticBinary(tb testing.TB, pkg string) string {
	tb.Helper()

	binMu.Lock()
	defer binMu.Unlock()
	if out, ok := binBuilt[pkg]; ok {
		return out
	}
	dir, err := processBinDir()
	if err != nil {
		tb.Fatalf("creating directory for test binaries: %v", err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = "/usr/local/go/bin/go"
		if _, statErr := os.Stat(goTool); statErr != nil {
			tb.Fatalf("go command not found: %v", err)
		}
	}
	out := filepath.Join(dir, strings.ReplaceAll(pkg, "/", "_"))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building %s: %v\n%s", pkg, err, strings.TrimSpace(string(msg)))
	}
	if err := checkStatic(out); err != nil {
		tb.Fatalf("building %s: result is not static: %v", pkg, err)
	}
	// Others, such as a container's non-root user, must be able to run it.
	if err := os.Chmod(out, 0o755); err != nil {
		tb.Fatal(err)
	}
	binBuilt[pkg] = out
	return out
}

// processBinDir returns this process's directory for test binaries, after
// removing those of test processes that have ended.
func processBinDir() (string, error) {
	if binDir != "" {
		return binDir, nil
	}
	const prefix = "dockward-testbin-"
	entries, _ := os.ReadDir(os.TempDir())
	for _, e := range entries {
		pid, err := strconv.Atoi(strings.TrimPrefix(e.Name(), prefix))
		if !strings.HasPrefix(e.Name(), prefix) || err != nil {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			os.RemoveAll(filepath.Join(os.TempDir(), e.Name()))
		}
	}
	dir := filepath.Join(os.TempDir(), prefix+strconv.Itoa(os.Getpid()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	binDir = dir
	return dir, nil
}
