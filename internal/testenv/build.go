package testenv

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// StaticBinary builds the main package pkg (an import path, such as
// github.com/dockward/dockward/cmd/dockward) with CGO_ENABLED=0 into a
// temporary directory of the test and returns the binary's path. The result
// runs in an image without a C library, for example one built FROM scratch.
func StaticBinary(tb testing.TB, pkg string) string {
	tb.Helper()

	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = "/usr/local/go/bin/go"
		if _, statErr := os.Stat(goTool); statErr != nil {
			tb.Fatalf("go command not found: %v", err)
		}
	}
	out := filepath.Join(tb.TempDir(), filepath.Base(pkg))

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
	return out
}
