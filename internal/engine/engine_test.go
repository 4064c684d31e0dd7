package engine_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rules"
	dfrules "github.com/dockward/dockward/internal/rules/dockerfile"
)

var now = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

func newEngine() *engine.Engine {
	return engine.New(rules.Registry(), dfrules.Analyzer{})
}

// writeTree creates files under a temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func check(t *testing.T, targets []string, opts engine.Options) *finding.Report {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = now
	}
	rep, err := newEngine().Check(context.Background(), targets, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func paths(rep *finding.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		if !slices.Contains(out, f.Location.Path) {
			out = append(out, f.Location.Path)
		}
	}
	return out
}

const rootDockerfile = "FROM debian:12\nUSER root\n"

func TestWalkFindsDockerfilesByName(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"Dockerfile":                rootDockerfile,
		"Dockerfile.dev":            rootDockerfile,
		"web.Dockerfile":            rootDockerfile,
		"api/worker.dockerfile":     rootDockerfile,
		"Containerfile":             rootDockerfile,
		"Containerfile.ci":          rootDockerfile,
		"Dockerfile.dockerignore":   ".git\n",
		"README.md":                 "FROM debian:12\n",
		".git/Dockerfile":           rootDockerfile,
		"vendor/x/Dockerfile":       rootDockerfile,
		"node_modules/y/Dockerfile": rootDockerfile,
		"ignored/Dockerfile":        rootDockerfile,
		"deep/ignored.Dockerfile":   rootDockerfile,
		".dockwardignore":           "ignored/\n*/ignored.Dockerfile\n",
	})
	rep := check(t, []string{dir}, engine.Options{})
	var got []string
	for _, p := range paths(rep) {
		got = append(got, strings.TrimPrefix(p, filepath.ToSlash(dir)+"/"))
	}
	want := []string{"Containerfile", "Containerfile.ci", "Dockerfile", "Dockerfile.dev", "api/worker.dockerfile", "web.Dockerfile"}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("checked %v, want %v", got, want)
	}
}

func TestOutputOrderIsDeterministic(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[filepath.Join("svc", string(rune('a'+i%26))+strings.Repeat("x", i), "Dockerfile")] = rootDockerfile
	}
	dir := writeTree(t, files)
	var first []byte
	for i := range 5 {
		rep := check(t, []string{dir}, engine.Options{Workers: 1 + i})
		var b bytes.Buffer
		for _, f := range rep.Findings {
			b.WriteString(f.Location.Path + f.RuleID + f.Message + "\n")
		}
		if i == 0 {
			first = b.Bytes()
		} else if !bytes.Equal(first, b.Bytes()) {
			t.Fatal("findings differ between runs")
		}
	}
}

func TestInlineSuppression(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM debian:12\n" +
		"# dockward:ignore DF002 the entrypoint drops privileges with gosu\n" +
		"USER root\n" +
		"# dockward:ignore pipe-without-pipefail,DF007 vendored installer, checked below\n" +
		"RUN curl https://x \\\n  | sh\n" +
		"# dockward:ignore DF005\n" +
		"# dockward:ignore DF999 typo\n" +
		"HEALTHCHECK NONE\n"})
	rep := check(t, []string{dir}, engine.Options{})
	byRule := map[string]finding.Finding{}
	for _, f := range rep.Findings {
		byRule[f.RuleID] = f
	}
	for _, id := range []string{"DF002", "DF030", "DF007"} {
		f, ok := byRule[id]
		if !ok || !f.Suppressed || f.Suppress == nil || f.Suppress.Kind != "inline" || f.Suppress.Reason == "" {
			t.Errorf("%s not suppressed inline with a reason: %+v", id, f)
		}
	}
	if byRule["DF005"].Suppressed {
		t.Error("DF005 suppressed by a directive above another instruction")
	}
	if _, ok := byRule["DW001"]; !ok {
		t.Error("directive without reason not reported (DW001)")
	}
	if f, ok := byRule["DW002"]; !ok || !strings.Contains(f.Message, "DF999") {
		t.Errorf("unknown rule in directive not reported: %+v", f)
	}
	if rep.Summary.Suppressed != 3 {
		t.Errorf("summary counts %d suppressed, want 3", rep.Summary.Suppressed)
	}
}

func TestConfigFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"Dockerfile":        rootDockerfile,
		"legacy/Dockerfile": rootDockerfile,
		".dockward.yaml": "version: 1\n" +
			"rules:\n  DF005: {disabled: true}\n  no-healthcheck: {severity: high}\n" +
			"ignore:\n  - path: legacy/\n    rules: [DF002]\n    reason: replaced next quarter\n" +
			"  - path: Dockerfile\n    rules: [DF001]\n    reason: expired entry\n    expires: 2020-01-01\n",
	})
	rep := check(t, []string{dir}, engine.Options{})
	for _, f := range rep.Findings {
		switch {
		case f.RuleID == "DF005":
			t.Error("disabled rule DF005 reported")
		case f.RuleID == "DF020" && f.Severity != finding.High:
			t.Errorf("DF020 severity %v, want high from the config", f.Severity)
		case f.RuleID == "DF002" && strings.Contains(f.Location.Path, "legacy"):
			if !f.Suppressed || f.Suppress.Kind != "config" || f.Suppress.Reason != "replaced next quarter" {
				t.Errorf("legacy DF002 not suppressed by config: %+v", f.Suppress)
			}
		case f.RuleID == "DF002":
			if f.Suppressed {
				t.Error("DF002 outside legacy/ suppressed")
			}
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for name, text := range map[string]string{
		"unknown key":      "version: 1\nrulez: {}\n",
		"ignore no reason": "version: 1\nignore:\n  - path: x\n",
		"bad date":         "version: 1\nignore:\n  - path: x\n    reason: y\n    expires: soon\n",
		"bad severity":     "version: 1\nrules:\n  DF001: {severity: urgent}\n",
		"unknown version":  "version: 7\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := config.Parse([]byte(text)); err == nil {
				t.Errorf("config accepted:\n%s", text)
			}
		})
	}
}

func TestProblemsDoNotStopTheWalk(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ok/Dockerfile":     rootDockerfile,
		"empty/Dockerfile":  "",
		"binary/Dockerfile": "FROM a\x00\x01\x02",
		"latin1/Dockerfile": "FROM debian:12\nLABEL author=\"Jos\xe9\"\n",
		"locked/Dockerfile": rootDockerfile,
	})
	big := bytes.Repeat([]byte("# padding\n"), (engine.MaxFileSize/10)+1)
	if err := os.WriteFile(filepath.Join(dir, "big.Dockerfile"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc", filepath.Join(dir, "escape")); err != nil {
		t.Fatal(err)
	}
	rep := check(t, []string{dir}, engine.Options{})
	reasons := map[string]string{}
	for _, p := range rep.Problems {
		reasons[strings.TrimPrefix(p.Path, dir+"/")] = p.Reason
	}
	want := map[string]string{
		"binary/Dockerfile": "binary content",
		"big.Dockerfile":    "larger than 10 MiB",
		"escape":            "points outside the tree",
		"latin1/Dockerfile": "not valid UTF-8",
	}
	for p, fragment := range want {
		if !strings.Contains(reasons[p], fragment) {
			t.Errorf("problem for %s = %q, want it to mention %q (all: %v)", p, reasons[p], fragment, reasons)
		}
	}
	if !slices.Contains(paths(rep), filepath.ToSlash(filepath.Join(dir, "ok/Dockerfile"))) {
		t.Error("the readable Dockerfile was not checked")
	}
	var emptyDF000 bool
	for _, f := range rep.Findings {
		if f.RuleID == "DF000" && strings.HasSuffix(f.Location.Path, "empty/Dockerfile") {
			emptyDF000 = true
		}
	}
	if !emptyDF000 {
		t.Error("empty Dockerfile not reported as DF000")
	}
}

func TestNamedTargets(t *testing.T) {
	eng := newEngine()
	_, err := eng.Check(context.Background(), []string{"/no/such/path"}, engine.Options{Now: now})
	if !errors.Is(err, engine.ErrUnreadableTarget) {
		t.Errorf("missing target: err = %v, want ErrUnreadableTarget", err)
	}
	_, err = eng.Check(context.Background(), []string{"-"}, engine.Options{Now: now, Stdin: strings.NewReader("FROM a")})
	if err == nil || !strings.Contains(err.Error(), "--type") {
		t.Errorf("stdin without --type: err = %v", err)
	}
	rep, err := eng.Check(context.Background(), []string{"-"},
		engine.Options{Now: now, Type: "dockerfile", Stdin: strings.NewReader(rootDockerfile)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Location.Path != "-" {
		t.Errorf("stdin findings = %+v", rep.Findings)
	}
	dir := writeTree(t, map[string]string{"build/prod.txt": rootDockerfile})
	rep, err = eng.Check(context.Background(), []string{filepath.Join(dir, "build/prod.txt")},
		engine.Options{Now: now, Type: "dockerfile"})
	if err != nil || len(rep.Findings) == 0 {
		t.Errorf("--type on an arbitrary name: %v, %d findings", err, len(rep.Findings))
	}
	if _, err := eng.Check(context.Background(), []string{dir}, engine.Options{Type: "nonsense"}); err == nil {
		t.Error("unknown --type accepted")
	}
}

func TestConfigRuleNamesChecked(t *testing.T) {
	for name, text := range map[string]string{
		"unknown rule":        "version: 1\nrules:\n  DF999: {severity: low}\n",
		"same rule two names": "version: 1\nrules:\n  DF020: {severity: high}\n  no-healthcheck: {severity: info}\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"Dockerfile": rootDockerfile, ".dockward.yaml": text})
			_, err := newEngine().Check(context.Background(), []string{dir}, engine.Options{Now: now})
			if err == nil || !strings.Contains(err.Error(), "line ") {
				t.Errorf("config accepted or error without a line: %v", err)
			}
		})
	}
}
