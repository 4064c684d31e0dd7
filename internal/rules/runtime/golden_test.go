package runtime

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// corpusDir holds real scripts, Makefiles, CI files and Markdown written
// by other projects; the tests read them in place.
const corpusDir = "../../../../shared/corpus/scripts"

// goldenFiles are the corpus files whose findings were checked by reading
// the file next to the golden output.
var goldenFiles = []string{
	"bmitch-golang-demo-cap-drop.sh",
	"buildkit-hack-test-flags-in-variable.sh",
	"dbmon-seccomp-backslash-path-CRLF.sh",
	"flannel-cap-add-sys-admin.Makefile",
	"jessfraz-dockerfunc.sh",
	"k8s-examples-openshift-create-privileged.sh",
	"nginx-ci-workflow.yml",
	"rust-container-hardened-run.sh",
	"zabbix-rhel-workflow-security-opt-label.yml",
	"buildkit-rootless-doc-unconfined.md",
	"docker-bench-README-run-commands.md",
	"runc-container-engine-privileged.Makefile",
	"docker-node-build-test-workflow.yml",
	"k8s-examples-qemu-register-privileged.Makefile",
}

// analyzeCorpusFile runs every analyzer that wants the file, as check does.
func analyzeCorpusFile(t *testing.T, name string) engine.Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	require.NoError(t, err)
	f := &engine.File{Path: name, Rel: name, Data: data}
	root, err := os.OpenRoot(corpusDir)
	require.NoError(t, err)
	defer root.Close()
	env := &engine.Env{Root: root, RootDir: corpusDir}
	var res engine.Result
	for _, a := range Analyzers() {
		if a.Wants(f) {
			r := a.Analyze(context.Background(), f, env)
			res.Findings = append(res.Findings, r.Findings...)
			res.Problems = append(res.Problems, r.Problems...)
		}
	}
	return res
}

func render(res engine.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "%d:%d %s %s %s\n", f.Location.StartLine, f.Location.StartColumn, f.RuleID,
			f.Severity, f.Message)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "problem %d: %s\n", p.Line, p.Reason)
	}
	return b.String()
}

func requireCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not found at %s: %v", corpusDir, err)
	}
}

func TestCorpusGolden(t *testing.T) {
	requireCorpus(t)
	for _, name := range goldenFiles {
		t.Run(name, func(t *testing.T) {
			got := render(analyzeCorpusFile(t, name))
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			require.Equal(t, string(want), got)
		})
	}
}

func TestCorpusAllFilesWithoutPanic(t *testing.T) {
	requireCorpus(t)
	entries, err := os.ReadDir(corpusDir)
	require.NoError(t, err)
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			res := analyzeCorpusFile(t, e.Name())
			for _, p := range res.Problems {
				require.NotContains(t, p.Reason, "internal error")
			}
		})
	}
}
