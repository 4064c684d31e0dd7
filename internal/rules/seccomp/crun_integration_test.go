package seccomp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockward/dockward/internal/testenv"
)

// crunBundle is an OCI bundle whose root file system holds busybox.
type crunBundle struct {
	dir    string
	config map[string]any
}

func newCrunBundle(t *testing.T) *crunBundle {
	t.Helper()
	testenv.RequireIntegration(t)
	if _, err := exec.LookPath("crun"); err != nil {
		testenv.Unavailable(t, "crun not found: install the crun package")
	}
	if os.Geteuid() != 0 {
		testenv.Unavailable(t, "crun needs root to create containers")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rootfs", "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(testenv.BusyboxPath)
	if err != nil {
		testenv.Unavailable(t, "busybox not found: install busybox-static: %v", err)
	}
	if err := os.WriteFile(filepath.Join(bin, "busybox"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("busybox", filepath.Join(bin, "true")); err != nil {
		t.Fatal(err)
	}
	spec := exec.Command("crun", "spec")
	spec.Dir = dir
	if out, err := spec.CombinedOutput(); err != nil {
		t.Fatalf("crun spec: %v: %s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	b := &crunBundle{dir: dir}
	if err := json.Unmarshal(raw, &b.config); err != nil {
		t.Fatal(err)
	}
	process := b.config["process"].(map[string]any)
	process["terminal"] = false
	process["args"] = []string{"/bin/true"}
	return b
}

// run starts /bin/true under an allow-list of names and reports whether it
// exited 0. crun 1.8.1 rejects hybrid cgroup hierarchies, so the run hides
// the cgroup v2 mount in a private mount namespace and creates no cgroup.
func (b *crunBundle) run(t *testing.T, names []string) (bool, string) {
	t.Helper()
	linux := b.config["linux"].(map[string]any)
	linux["seccomp"] = map[string]any{
		"defaultAction": "SCMP_ACT_ERRNO",
		"architectures": []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"},
		"syscalls":      []map[string]any{{"names": names, "action": "SCMP_ACT_ALLOW"}},
	}
	data, err := json.Marshal(b.config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}

	id := make([]byte, 6)
	_, _ = rand.Read(id)
	name := "dockward-sc003-" + hex.EncodeToString(id)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	script := "umount -l /sys/fs/cgroup/unified 2>/dev/null; exec crun --cgroup-manager=disabled run -b \"$1\" \"$2\""
	cmd := exec.CommandContext(ctx, "unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", b.dir, name)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	_ = exec.Command("crun", "delete", "-f", name).Run()
	return err == nil, strings.TrimSpace(out.String())
}

// TestStartupSetCrunIntegration repeats the SC003 measurement with crun:
// it starts with the required set, fails without each group crun needs,
// and starts without each group only runc needs.
func TestStartupSetCrunIntegration(t *testing.T) {
	b := newCrunBundle(t)
	all := append(startupNames(), processExtras...)
	if ok, out := b.run(t, all); !ok {
		t.Fatalf("crun did not start under the required set: %s", out)
	}
	for _, n := range required {
		t.Run(strings.Join(n.names, "_or_"), func(t *testing.T) {
			names := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(n.names, s) })
			ok, out := b.run(t, names)
			if n.crun && ok {
				t.Errorf("crun started without %v, but the table says crun needs it", n.names)
			}
			if !n.crun && !ok {
				t.Errorf("crun failed without %v, but the table says only runc needs it: %s", n.names, out)
			}
		})
	}
}
