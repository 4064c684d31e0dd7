package engine_test

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
)

// TestUnreadableDirectory checks that a directory without read permission
// is reported by path and the rest of the tree is still checked. Root reads
// everything, so as root the test runs itself again as user nobody.
func TestUnreadableDirectory(t *testing.T) {
	if dir := os.Getenv("DOCKWARD_PERMISSION_TEST_DIR"); dir != "" {
		rep := check(t, []string{dir}, engine.Options{})
		_ = json.NewEncoder(os.Stdout).Encode(rep.Problems)
		return
	}
	dir := writeTree(t, map[string]string{"ok/Dockerfile": rootDockerfile, "locked/Dockerfile": rootDockerfile})
	if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })

	var problems []finding.Problem
	if os.Geteuid() != 0 {
		problems = check(t, []string{dir}, engine.Options{}).Problems
	} else {
		problems = runAsNobody(t, dir)
	}
	found := false
	for _, p := range problems {
		if strings.HasSuffix(p.Path, "locked") && strings.Contains(p.Reason, "permission denied") {
			found = true
		}
	}
	if !found {
		t.Errorf("no permission problem for the locked directory: %+v", problems)
	}
}

func runAsNobody(t *testing.T, dir string) []finding.Problem {
	t.Helper()
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil && d == dir {
			t.Fatal(err)
		}
		if d == os.TempDir() {
			break
		}
	}
	bin := filepath.Join(dir, "engine.test")
	copyFile(t, os.Args[0], bin)
	cmd := exec.Command(bin, "-test.run=^TestUnreadableDirectory$")
	cmd.Env = append(os.Environ(), "DOCKWARD_PERMISSION_TEST_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running as nobody: %v\n%s", err, out)
	}
	var problems []finding.Problem
	line, _, _ := strings.Cut(string(out), "\n")
	if err := json.Unmarshal([]byte(line), &problems); err != nil {
		t.Fatalf("decoding problems %q: %v", out, err)
	}
	return problems
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
