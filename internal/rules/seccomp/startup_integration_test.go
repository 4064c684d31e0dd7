package seccomp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/testenv"
)

// processExtras are syscalls a process and runc's Go runtime make at
// times besides the measured set: signal handling, thread creation and
// memory release. A profile that allows them and the required set starts
// a container reliably.
var processExtras = []string{
	"brk", "clone", "exit", "getpid", "gettid", "madvise", "munmap", "nanosleep",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sched_yield", "sigaltstack", "tgkill",
}

// allowListProfile writes an allow-list profile for x86_64 and its ABIs.
func allowListProfile(t *testing.T, names []string) string {
	t.Helper()
	p := map[string]any{
		"defaultAction": "SCMP_ACT_ERRNO",
		"archMap": []map[string]any{{
			"architecture":     "SCMP_ARCH_X86_64",
			"subArchitectures": []string{"SCMP_ARCH_X86", "SCMP_ARCH_X32"},
		}},
		"syscalls": []map[string]any{{"names": names, "action": "SCMP_ACT_ALLOW"}},
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func flagged(t *testing.T, path string) []string {
	t.Helper()
	fs, err := LintFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return messagesOf(fs, "SC003")
}

// runBusybox starts busybox true under the profile and reports whether the
// container started and exited 0.
func runBusybox(t *testing.T, d *testenv.Docker, image, profile string, extra ...string) (bool, string) {
	t.Helper()
	args := append([]string{"--security-opt", "seccomp=" + profile}, extra...)
	res := d.Run(t, testenv.RunOptions{Args: args}, image, "/bin/true")
	return res.Err == nil && res.ExitCode == 0, strings.TrimSpace(res.Stderr)
}

func startupNames() []string {
	var names []string
	for _, n := range required {
		names = append(names, n.names...)
	}
	return names
}

// TestCannotStartIntegration proves SC003 on the real engine: a profile it
// flags does not start a busybox container, and one it passes does.
func TestCannotStartIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)

	t.Run("flagged profile fails", func(t *testing.T) {
		path := allowListProfile(t, []string{"socket", "bind", "listen", "accept", "connect"})
		if len(flagged(t, path)) == 0 {
			t.Fatal("SC003 does not flag the network-only profile")
		}
		if ok, _ := runBusybox(t, d, image, path); ok {
			t.Error("container started under a profile SC003 flags")
		}
	})
	t.Run("passing profile starts", func(t *testing.T) {
		path := allowListProfile(t, append(startupNames(), processExtras...))
		if got := flagged(t, path); len(got) > 0 {
			t.Fatalf("SC003 flags the startup profile: %q", got)
		}
		if ok, stderr := runBusybox(t, d, image, path); !ok {
			t.Errorf("container did not start under a profile SC003 passes: %s", stderr)
		}
	})
}

// TestStartupSetIntegration repeats the measurement behind SC003: with
// each required syscall (or group of alternatives) removed from a profile
// that starts, SC003 flags the profile and the container does not start.
func TestStartupSetIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	all := append(startupNames(), processExtras...)

	for _, n := range required {
		t.Run(strings.Join(n.names, "_or_"), func(t *testing.T) {
			names := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(n.names, s) })
			path := allowListProfile(t, names)
			if len(flagged(t, path)) == 0 {
				t.Errorf("SC003 does not flag a profile without %v", n.names)
			}
			if ok, _ := runBusybox(t, d, image, path); ok {
				t.Errorf("container started without %v: it is not needed", n.names)
			}
		})
	}
}

// TestStartupSetNoNewPrivilegesIntegration repeats the measurement with
// --security-opt no-new-privileges, under which runc installs the filter
// just before execve: the container fails without a group marked nnp and
// starts without any other group, and SC003 with NoNewPrivileges agrees.
func TestStartupSetNoNewPrivilegesIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	all := append(startupNames(), processExtras...)
	opts := LintOptions{NoNewPrivileges: true}

	for _, n := range required {
		t.Run(strings.Join(n.names, "_or_"), func(t *testing.T) {
			names := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(n.names, s) })
			path := allowListProfile(t, names)
			fs, err := LintFileWith(path, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(messagesOf(fs, "SC003")) > 0; got != n.nnp {
				t.Errorf("SC003 flags a profile without %v with no-new-privileges: %v, want %v", n.names, got, n.nnp)
			}
			started, stderr := runBusybox(t, d, image, path, "--security-opt", "no-new-privileges")
			if started == n.nnp {
				t.Errorf("container without %v with no-new-privileges started: %v, want %v (%s)",
					n.names, started, !n.nnp, stderr)
			}
		})
	}
}

// TestCorpusNoNewPrivilegesIntegration runs busybox under a real profile
// that its project uses with no-new-privileges: SC003 with NoNewPrivileges
// flags it, and runc 1.1.5 does fail to start the container.
func TestCorpusNoNewPrivilegesIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	path, err := filepath.Abs(filepath.Join(corpusDir, "dbmon-app-custom.seccomp.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("corpus profile not available: %v", err)
	}
	fs, err := LintFileWith(path, LintOptions{NoNewPrivileges: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(messagesOf(fs, "SC003")) == 0 {
		t.Error("SC003 with no-new-privileges does not flag the profile")
	}
	if ok, _ := runBusybox(t, d, image, path, "--security-opt", "no-new-privileges"); ok {
		t.Error("container started under a profile SC003 flags")
	}
}
