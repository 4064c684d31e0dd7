package rules

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/rule"
)

var update = flag.Bool("update", false, "rewrite docs/rules from the registry")

const docsDir = "../../docs/rules"

func TestRuleDocsMatchRegistry(t *testing.T) {
	reg := Registry()
	want := map[string]string{"README.md": Index(reg)}
	for _, r := range reg.All() {
		want[r.ID+".md"] = Doc(r)
	}
	if *update {
		if err := os.MkdirAll(docsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(docsDir, "*.md"))
		for _, p := range old {
			if _, keep := want[filepath.Base(p)]; !keep {
				os.Remove(p)
			}
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(docsDir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(docsDir, name))
		if err != nil {
			t.Errorf("docs/rules/%s missing: run go test ./internal/rules -update", name)
			continue
		}
		if string(got) != text {
			t.Errorf("docs/rules/%s is out of date: run go test ./internal/rules -update", name)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(docsDir, "*.md"))
	for _, p := range pages {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s documents no registered rule", filepath.Base(p))
		}
	}
}

func TestRegistryIsValid(t *testing.T) {
	reg := Registry()
	for _, r := range reg.All() {
		if r.Bad == "" || r.Good == "" {
			t.Errorf("rule %s needs a bad and a good example", r.ID)
		}
		if strings.TrimSpace(r.Fix) == "" {
			t.Errorf("rule %s needs a fix", r.ID)
		}
	}
}

func TestDocTagsExamplesByForm(t *testing.T) {
	tests := []struct {
		name    string
		kind    rule.Kind
		example string
		want    string
	}{
		{"docker run", rule.KindRuntime, "docker run --privileged alpine:3.20", "sh"},
		{"podman run", rule.KindRuntime, "podman run alpine:3.20", "sh"},
		{"compose", rule.KindRuntime, "services:\n  web:\n    image: nginx:1.27", "yaml"},
		{"manifest", rule.KindRuntime, "apiVersion: v1\nkind: Pod", "yaml"},
		{"dockerfile", rule.KindDockerfile, "FROM alpine:3.20", "dockerfile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &rule.Rule{ID: "XX001", Kind: tt.kind, Bad: tt.example}
			if doc, want := Doc(r), "## Bad\n\n```"+tt.want+"\n"; !strings.Contains(doc, want) {
				t.Errorf("page lacks %q:\n%s", want, doc)
			}
		})
	}
}
