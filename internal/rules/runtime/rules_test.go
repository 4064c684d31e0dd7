package runtime

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// auditScript parses a shell snippet and returns the findings.
func auditScript(t *testing.T, script string) []finding.Finding {
	t.Helper()
	res := rt.ParseScripts("test.sh", rt.ShellScripts([]byte(script)))
	if len(res.Problems) > 0 {
		t.Fatalf("parsing %q: %v", script, res.Problems)
	}
	return Audit(res.Containers, testContext)
}

// testContext serves seccomp profiles from an in-memory tree.
var testContext = &Context{ReadFile: fstest.MapFS{
	"profile.json": {Data: []byte(`{"defaultAction": "SCMP_ACT_ERRNO"}`)},
	"broken.json":  {Data: []byte(`{"defaultAction": `)},
}.ReadFile}

func ruleIDs(fs []finding.Finding) []string {
	var ids []string
	for _, f := range fs {
		if !slices.Contains(ids, f.RuleID) {
			ids = append(ids, f.RuleID)
		}
	}
	slices.Sort(ids)
	return ids
}

func hasRule(fs []finding.Finding, id string) bool {
	return slices.ContainsFunc(fs, func(f finding.Finding) bool { return f.RuleID == id })
}

// TestRuleExamples checks that every rule fires on its Bad example and not
// on its Good one, so the documentation cannot drift from the code.
func TestRuleExamples(t *testing.T) {
	for _, r := range Rules {
		if !strings.HasPrefix(r.Bad, "docker ") {
			continue // Kubernetes-only rules are covered in their own tests.
		}
		t.Run(r.ID, func(t *testing.T) {
			if got := auditScript(t, r.Bad); !hasRule(got, r.ID) {
				t.Errorf("Bad example %q: %s did not fire; got %v", r.Bad, r.ID, ruleIDs(got))
			}
			if got := auditScript(t, r.Good); hasRule(got, r.ID) {
				t.Errorf("Good example %q: %s fired", r.Good, r.ID)
			}
		})
	}
}

func TestRulesHaveFixForEverySource(t *testing.T) {
	for _, r := range Rules {
		if !strings.Contains(r.Fix, "`") {
			t.Errorf("%s: the fix shows no flag, key or field", r.ID)
		}
	}
}

func TestUnresolvedTextNamesCause(t *testing.T) {
	token := secrettest.NewGenerator(3).GitHubToken("ghp_")
	tests := []struct{ name, raw, want string }{
		{"variable", "$APP_UID", "$APP_UID, which cannot be resolved here"},
		{"command substitution", "$(id -u)", "$(id -u), which is known only when the command runs"},
		{"invalid literal", "12x", "12x, which is not a valid value"},
		{"secret literal", token, "ghp_****, which is not a valid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unresolvedText(tt.raw)
			if got != tt.want {
				t.Errorf("unresolvedText(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
