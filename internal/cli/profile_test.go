package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/finding"
)

func writeProfileFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProfileLint(t *testing.T) {
	seccompPath := writeProfileFile(t, "net.json", `{"defaultAction": "SCMP_ACT_ERRNO",
"syscalls": [{"names": ["socket", "bind", "listen", "accept", "connect"], "action": "SCMP_ACT_ALLOW"}]}`)
	apparmorPath := writeProfileFile(t, "app.profile", "profile app {\n  file,\n  mount,\n}\n")
	deepPath := writeProfileFile(t, "deep.json", strings.Repeat("[", 10000))
	fragmentPath := writeProfileFile(t, "fragment", "file,\ncapability,\nmount fstype=tmpfs,\n")
	// nnpPath allows what runc needs after the filter with no-new-privileges,
	// but not its capability and user setup.
	nnpPath := writeProfileFile(t, "nnp.json", `{"defaultAction": "SCMP_ACT_ERRNO",
"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
"syscalls": [{"names": ["arch_prctl", "close", "execve", "exit_group", "fstatfs", "futex", "getdents64",
"mmap", "mprotect", "openat", "write"], "action": "SCMP_ACT_ALLOW"}]}`)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantIDs  []string
	}{
		{"seccomp detected", []string{seccompPath}, 1, []string{"SC003", "SC005", "SC007"}},
		{"apparmor detected", []string{apparmorPath}, 1, []string{"AA001", "AA004", "AA005", "AA009"}},
		{"apparmor name checked", []string{"--apparmor-name", "nginx", apparmorPath}, 1,
			[]string{"AA001", "AA004", "AA005", "AA008", "AA009"}},
		{"nested without end", []string{deepPath}, 1, []string{"SC000"}},
		{"setup calls needed by default", []string{nnpPath}, 1, []string{"SC003"}},
		{"setup calls not needed with no-new-privileges", []string{"--no-new-privileges", nnpPath}, 0, nil},
		{"missing file", []string{filepath.Join(t.TempDir(), "none.json")}, 2, nil},
		{"abstraction rules linted", []string{fragmentPath}, 1, []string{"AA001", "AA002", "AA004"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"profile", "lint", "--format", "json"}, tt.args...)
			out, stderr, code := run(t, "", args...)
			if code != tt.wantCode {
				t.Fatalf("exit status = %d, want %d; stderr: %s", code, tt.wantCode, stderr)
			}
			var rep finding.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("decoding report: %v\n%s", err, out)
			}
			seen := map[string]bool{}
			var ids []string
			for _, f := range rep.Findings {
				if !seen[f.RuleID] {
					seen[f.RuleID] = true
					ids = append(ids, f.RuleID)
				}
			}
			slices.Sort(ids)
			if strings.Join(ids, ",") != strings.Join(tt.wantIDs, ",") {
				t.Errorf("rule IDs = %v, want %v", ids, tt.wantIDs)
			}
		})
	}
}

func TestProfileLintProblems(t *testing.T) {
	fragmentPath := writeProfileFile(t, "fragment", "file,\ncapability,\nmount fstype=tmpfs,\n")
	includeDir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(includeDir, "abstractions"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(includeDir, "abstractions", "app"), []byte("  /srv/** r,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	includingPath := writeProfileFile(t, "including.profile", "profile app {\n  #include <abstractions/app>\n}\n")

	tests := []struct {
		name string
		args []string
		want []string // problem reason prefixes
	}{
		{"abstraction", []string{fragmentPath}, []string{"no profile found; this looks like an abstraction"}},
		{"include not on the search path", []string{includingPath}, []string{"include abstractions/app not found"}},
		{"include found with -I", []string{"-I", includeDir, includingPath}, nil},
		{"include found with --include-dir", []string{"--include-dir", t.TempDir(), "--include-dir", includeDir,
			includingPath}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"profile", "lint", "--format", "json"}, tt.args...)
			out, stderr, _ := run(t, "", args...)
			var rep finding.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("decoding report: %v\n%s\n%s", err, out, stderr)
			}
			if len(rep.Problems) != len(tt.want) {
				t.Fatalf("problems = %+v, want %q", rep.Problems, tt.want)
			}
			for i, p := range rep.Problems {
				if !strings.HasPrefix(p.Reason, tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, p.Reason, tt.want[i])
				}
			}
		})
	}
}

func TestProfileDiff(t *testing.T) {
	a := writeProfileFile(t, "a.json", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}`)
	b := writeProfileFile(t, "b.json", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["read", "kexec_load"], "action": "SCMP_ACT_ALLOW"}]}`)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
	}{
		{"two profiles", []string{a, b}, 1, []string{"SCMP_ARCH_X86_64", "  - write (unconditionally)", "  + kexec_load (unconditionally)"}},
		{"same profile", []string{a, a}, 0, []string{"the profiles allow the same syscalls"}},
		{"against default", []string{"--against", "default", b}, 1, []string{"  + kexec_load (unconditionally)", "  - mount (with CAP_SYS_ADMIN)"}},
		{"one profile without --against", []string{a}, 2, nil},
		{"unknown built-in", []string{"--against", "podman", a}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := run(t, "", append([]string{"profile", "diff"}, tt.args...)...)
			if code != tt.wantCode {
				t.Fatalf("exit status = %d, want %d; stderr: %s", code, tt.wantCode, stderr)
			}
			for _, line := range tt.wantOut {
				if !strings.Contains(out, line+"\n") {
					t.Errorf("output lacks %q:\n%s", line, out)
				}
			}
		})
	}
}
