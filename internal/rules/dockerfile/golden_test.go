package dockerfile

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusDir holds real public Dockerfiles beside the repository.
const corpusDir = "../../../../shared/corpus/dockerfiles"

// goldenFiles were each reviewed by reading the Dockerfile next to its
// findings; testdata/golden/REVIEW.md records what was checked.
var goldenFiles = []string{
	"awesome-compose-flask-heredoc", "awesome-compose-flask-nonroot",
	"awesome-compose-node-healthcheck", "bane-maintainer-tab-latest",
	"buildkit-parser-NEGATIVE-env_no_value", "buildkit-parser-NEGATIVE-only_comments",
	"buildkit-parser-NEGATIVE-shykes-nested-json", "checkov-env-prefix-quoting-variants",
	"checkov-heredoc-apt-hidden", "checkov-inline-skip-comments", "compose-e2e-build-secrets",
	"distroless-example-python3-requirements", "docker-bench-digest-pinned-healthcheck-noop",
	"docker-elk-elasticsearch-argfrom", "golang-alpine-multistage", "ha-addon-deconz-build-from-arg",
	"hadolint-scratch-chmod777", "k8s-examples-meteor-onbuild", "mailcow-dockerapi",
	"nginx-mainline-debian", "node-24-alpine", "postgres-17-alpine", "python-3.14-slim-trixie",
	"redis-7.2-debian",
}

func requireCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing in CI: %v", err)
		}
		t.Skipf("corpus not found at %s", corpusDir)
	}
}

func TestGoldenCorpus(t *testing.T) {
	requireCorpus(t)
	for _, name := range goldenFiles {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, name+".Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			got := formatGolden(analyze(t, string(data), runOptions{}))
			path := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("golden file missing, run with -update: %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("findings differ from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

func formatGolden(fs []finding.Finding) string {
	finding.Sort(fs, nil)
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %d-%d %s\n", f.RuleID, f.Location.StartLine, f.Location.EndLine, f.Message)
	}
	return b.String()
}

// rejectedByBuildKit lists the corpus files that BuildKit's instruction
// parser rejects, with the reason; every other file must get no DF000.
var rejectedByBuildKit = map[string]string{
	"buildkit-parser-NEGATIVE-env_no_value.Dockerfile":                         "ENV without a value",
	"buildkit-parser-NEGATIVE-only_comments.Dockerfile":                        "no instructions",
	"buildkit-parser-NEGATIVE-shykes-nested-json.Dockerfile":                   "nested JSON array",
	"buildkit-parser-health.Dockerfile":                                        "HEALTHCHECK without arguments and with type CONNECT",
	"buildkit-parser-json.Dockerfile":                                          "CMD before any FROM",
	"buildkit-parser-jeztah-invalid-json-json-inside-string-double.Dockerfile": "CMD before any FROM",
	"buildkit-parser-jeztah-invalid-json-single-quotes.Dockerfile":             "CMD before any FROM",
	"buildkit-parser-jeztah-invalid-json-unterminated-bracket.Dockerfile":      "CMD before any FROM",
	"checkov-stray-vim-tilde-line.Dockerfile":                                  "a stray ~ line is no instruction",
}

// TestWholeCorpus runs every rule on every corpus Dockerfile: no panic, no
// problem, and DF000 exactly on the files BuildKit rejects.
func TestWholeCorpus(t *testing.T) {
	requireCorpus(t)
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.Dockerfile"))
	if err != nil || len(paths) < 50 {
		t.Fatalf("expected the corpus Dockerfiles, got %d (%v)", len(paths), err)
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fs := analyze(t, string(data), runOptions{})
			var df000 []string
			for _, f := range fs {
				if f.RuleID == "DF000" {
					df000 = append(df000, f.Message)
				}
				if f.Location.StartLine < 1 {
					t.Errorf("%s has no line: %s", f.RuleID, f.Message)
				}
			}
			_, rejected := rejectedByBuildKit[name]
			if rejected && len(df000) == 0 {
				t.Errorf("BuildKit rejects %s (%s) but DF000 did not fire", name, rejectedByBuildKit[name])
			}
			if !rejected && len(df000) > 0 {
				t.Errorf("DF000 on a file BuildKit accepts: %v", df000)
			}
		})
	}
}
