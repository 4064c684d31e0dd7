package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the command line and returns stdout, stderr and the exit
// status the process would have.
func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := NewRootCommand(strings.NewReader(stdin), &out, &errOut)
	root.SetArgs(args)
	err := root.Execute()
	code := 0
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) {
			code = ee.Code
		} else {
			code = 2
		}
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), code
}

func project(t *testing.T, dockerfile string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCheckExitStatus(t *testing.T) {
	clean := "FROM alpine:3.22@sha256:" + strings.Repeat("a", 64) + "\nUSER 10001:10001\nHEALTHCHECK NONE\n"
	root := "FROM debian:12\nUSER root\n"
	infoOnly := "FROM alpine:3.22\nUSER 10001:10001\nHEALTHCHECK NONE\n" // DF005 only
	tests := []struct {
		name string
		args []string
		dir  string
		want int
	}{
		{"clean", []string{"check"}, clean, 0},
		{"high finding", []string{"check"}, root, 1},
		{"fail on none", []string{"check", "--fail-on", "none"}, root, 0},
		{"fail on critical", []string{"check", "--fail-on", "critical"}, root, 0},
		{"info below default", []string{"check"}, infoOnly, 0},
		{"fail on info", []string{"check", "--fail-on", "info"}, infoOnly, 1},
		{"fail on info clean", []string{"check", "--fail-on", "info"}, clean, 0},
		{"bad format", []string{"check", "--format", "xml"}, clean, 2},
		{"bad fail-on", []string{"check", "--fail-on", "urgent"}, clean, 2},
		{"unknown flag", []string{"check", "--frobnicate"}, clean, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := project(t, tt.dir)
			_, stderr, code := run(t, "", append(tt.args, dir)...)
			if code != tt.want {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.want, stderr)
			}
		})
	}
	if _, _, code := run(t, "", "check", "/no/such/dir"); code != 2 {
		t.Errorf("missing path: exit status %d, want 2", code)
	}
}

func TestCheckStdinJSON(t *testing.T) {
	out, stderr, code := run(t, "FROM debian:12\nUSER root\n", "check", "--type", "dockerfile", "--format", "json", "-")
	if code != 1 {
		t.Fatalf("exit status %d, stderr %q", code, stderr)
	}
	var rep struct {
		SchemaVersion string `json:"schema_version"`
		Findings      []struct {
			RuleID   string `json:"rule_id"`
			Location struct {
				Path string `json:"path"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if rep.SchemaVersion != "1" || len(rep.Findings) == 0 || rep.Findings[0].Location.Path != "-" {
		t.Errorf("report = %+v", rep)
	}
}

func TestCheckOutputFile(t *testing.T) {
	dir := project(t, "FROM debian:12\nUSER root\n")
	out := filepath.Join(t.TempDir(), "report.sarif")
	stdout, _, code := run(t, "", "check", "--format", "sarif", "--output", out, dir)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), `"version": "2.1.0"`) {
		t.Fatalf("SARIF file: %v\n%s", err, data)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the report: %v", entries)
	}
}

func TestRulesCommand(t *testing.T) {
	out, _, code := run(t, "", "rules")
	if code != 0 || !strings.Contains(out, "DF004") || !strings.Contains(out, "DF034") {
		t.Fatalf("rules list (exit %d):\n%s", code, out)
	}
	out, _, code = run(t, "", "rules", "base-image-latest")
	if code != 0 || !strings.Contains(out, "# DF004") || !strings.Contains(out, "## Bad") || !strings.Contains(out, "## Good") {
		t.Errorf("rules DF004 by slug (exit %d):\n%s", code, out)
	}
	if _, _, code := run(t, "", "rules", "XX999"); code != 2 {
		t.Errorf("unknown rule: exit %d, want 2", code)
	}
	out, _, _ = run(t, "", "version")
	if !strings.HasPrefix(out, "dockward ") {
		t.Errorf("version = %q", out)
	}
}

func TestCheckOutputToDevice(t *testing.T) {
	dir := project(t, "FROM debian:12\nUSER root\n")
	before, err := os.Stat("/dev/null")
	if err != nil || before.Mode()&os.ModeDevice == 0 {
		t.Skip("/dev/null is not a device here")
	}
	if _, _, code := run(t, "", "check", "--fail-on", "none", "--format", "json", "--output", "/dev/null", dir); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	after, err := os.Stat("/dev/null")
	if err != nil || after.Mode()&os.ModeDevice == 0 {
		t.Fatalf("--output /dev/null replaced the device: %v %v", after.Mode(), err)
	}
	if _, stderr, code := run(t, "", "check", "--output", t.TempDir(), dir); code != 2 || !strings.Contains(stderr, "directory") {
		t.Errorf("--output DIR: exit %d, stderr %q", code, stderr)
	}
}

// TestReferencedSeccompProfileLinted checks that a profile named by a
// compose file is linted by audit and reported once by check, which also
// finds the profile by walking the tree.
func TestReferencedSeccompProfileLinted(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  app:\n    image: alpine:3.22\n    security_opt:\n      - seccomp=./profiles/app.json\n"
	profile := `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],` +
		` "syscalls": [{"names": ["socket", "bind"], "action": "SCMP_ACT_ALLOW"}]}`
	if err := os.MkdirAll(filepath.Join(dir, "profiles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "profiles", "app.json"), []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	count := func(out string) int {
		var rep struct {
			Findings []struct {
				RuleID string `json:"rule_id"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("decoding report: %v\n%s", err, out)
		}
		n := 0
		for _, f := range rep.Findings {
			if f.RuleID == "SC003" {
				n++
			}
		}
		return n
	}
	out, _, _ := run(t, "", "check", "--fail-on", "none", "--format", "json", dir)
	if n := count(out); n != 1 {
		t.Errorf("check reports SC003 %d times, want once", n)
	}
	out, _, _ = run(t, "", "audit", "--fail-on", "none", "--format", "json", filepath.Join(dir, "compose.yaml"))
	if n := count(out); n != 1 {
		t.Errorf("audit of the compose file reports SC003 %d times, want once", n)
	}
}

func TestSeverityFilterCountsHidden(t *testing.T) {
	dir := project(t, "FROM debian:12\nUSER root\n")
	out, _, _ := run(t, "", "check", "--fail-on", "none", "--severity", "high", dir)
	if !strings.Contains(out, "hidden below --severity") {
		t.Errorf("table does not say findings were hidden:\n%s", out)
	}
	out, _, _ = run(t, "", "check", "--fail-on", "none", "--severity", "high", "--format", "json", dir)
	var rep struct {
		Summary struct {
			Hidden int `json:"hidden_by_severity"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Summary.Hidden == 0 {
		t.Errorf("JSON summary hidden_by_severity = %d (%v)", rep.Summary.Hidden, err)
	}
}
