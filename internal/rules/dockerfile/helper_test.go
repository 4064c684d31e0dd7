package dockerfile

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
)

// testNow is the clock of the tests, so end-of-life results do not change.
var testNow = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

type runOptions struct {
	files  map[string]string // extra files beside the Dockerfile
	config *config.Config
	target string
	name   string
}

// analyze runs the analyzer on a Dockerfile written into a temporary
// project and returns its findings.
func analyze(t *testing.T, src string, opts runOptions) []finding.Finding {
	t.Helper()
	dir := t.TempDir()
	name := opts.name
	if name == "" {
		name = "Dockerfile"
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for p, content := range opts.files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	cfg := opts.config
	if cfg == nil {
		cfg = config.Default()
	}
	env := &engine.Env{Config: cfg, Now: testNow, Root: root, RootDir: dir, Target: opts.target}
	f := &engine.File{Path: name, Rel: name, Data: []byte(src)}
	res := Analyzer{}.Analyze(context.Background(), f, env)
	return res.Findings
}

// ruleLines returns the lines on which a rule fired.
func ruleLines(fs []finding.Finding, id string) []int {
	var lines []int
	for _, f := range fs {
		if f.RuleID == id {
			lines = append(lines, f.Location.StartLine)
		}
	}
	sort.Ints(lines)
	return lines
}

func ids(fs []finding.Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.RuleID] {
			seen[f.RuleID] = true
			out = append(out, f.RuleID)
		}
	}
	sort.Strings(out)
	return out
}
