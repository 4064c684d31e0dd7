package dockerfile

import (
	"slices"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/config"
)

// TestRuleExamples checks that every rule fires on its own bad example and
// stays silent on its good one, so the documentation cannot drift from the
// code.
func TestRuleExamples(t *testing.T) {
	for _, r := range Rules {
		t.Run(r.ID, func(t *testing.T) {
			opts := runOptions{}
			if r.ID == "DF034" {
				opts.config = &config.Config{Version: 1, Policy: config.Policy{
					AllowedRegistries: []string{"registry.example.com"}}}
			}
			if r.ID == "DF024" {
				opts.files = map[string]string{".dockerignore": ".git\n.env\n"}
			}
			bad := analyze(t, r.Bad, opts)
			if !slices.Contains(ids(bad), r.ID) {
				t.Errorf("bad example does not trigger %s; got %v\n%s", r.ID, ids(bad), r.Bad)
			}
			good := analyze(t, strings.TrimPrefix(r.Good, "# .dockerignore lists .git and .env\n"), opts)
			if slices.Contains(ids(good), r.ID) {
				t.Errorf("good example triggers %s\n%s", r.ID, r.Good)
			}
		})
	}
}
