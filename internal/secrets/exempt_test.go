package secrets

import (
	"testing"

	ignore "github.com/sabhiram/go-gitignore"
)

// TestExemptsGenericMatchesGitignore keeps the hand-written matcher equal
// to the gitignore patterns it stands for.
func TestExemptsGenericMatchesGitignore(t *testing.T) {
	gi := ignore.CompileIgnoreLines(genericExemptPatterns...)
	for _, p := range []string{
		"main.go", "main_test.go", "pkg/x_test.go", "test_app.py", "app/test_app.py", "a_test.py",
		"web/app.spec.ts", "web/app.test.js", "tests/conf.yaml", "a/tests/b/c.env", "test/x",
		"src/test/resources/app.properties", "__tests__/a.js", "spec/fixtures/a.yml", "README.md",
		"docs/guide.markdown", "index.rst", "a.adoc", ".env.example", "config.sample", "x.template",
		"x.tmpl", "x.dist", "app.example.yaml", "db.sample.env", ".env", "Dockerfile",
		"contest/x.env", "latest/app.env", "testing/app.env", "docs.md/config.env", "deploy/spec.yaml",
		"test", "spec", "a/test", "scripts/spec",
	} {
		if got, want := ExemptsGeneric(p), gi.MatchesPath(p); got != want {
			t.Errorf("ExemptsGeneric(%q) = %v, gitignore says %v", p, got, want)
		}
	}
}
