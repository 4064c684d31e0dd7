package manifest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusDir holds real public compose files and manifests beside the
// repository.
const corpusDir = "../../../../shared/corpus"

// goldenFiles were each reviewed by reading the file next to its findings
// and problems; testdata/golden/REVIEW.md records what was checked.
var goldenFiles = []string{
	"compose/awesome-traefik-docker-sock.yaml",
	"compose/awesome-wireguard-sysmodule.yaml",
	"compose/awesome-pihole-capadd-interp.yaml",
	"compose/docker-bench-pid-host-lowercase-cap.yaml",
	"compose/docker-elk-metricbeat-hostfs.yaml",
	"compose/docker-elk-filebeat-root.yaml",
	"compose/composego-extends-reset-tag.yaml",
	"compose/composego-interp-default-devnull.yaml",
	"compose/composego-extends-shortform-ulimits-null-service.yaml",
	"k8s/k8s-examples-pod-privileged.yaml",
	"k8s/k8s-website-apparmor-annotation-pod.yaml",
	"k8s/k8s-website-seccomp-alpha-annotation-pod.yaml",
	"k8s/k8s-website-security-context-4-json-flow-style.yaml",
	"k8s/k8s-examples-nfs-server-privileged.yaml",
	"k8s/kube-prometheus-grafana-deployment-hardened.yaml",
	"k8s/flannel-helm-TEMPLATE-unrendered-daemonset.yaml",
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

// analyze runs the analyzer that wants the file, as dockward check does.
func analyze(t *testing.T, path string) engine.Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := &engine.File{Path: filepath.ToSlash(path), Rel: filepath.Base(path), Data: data}
	var res engine.Result
	wanted := 0
	for _, a := range Analyzers() {
		if a.Wants(f) {
			wanted++
			r := a.Analyze(context.Background(), f, nil)
			res.Findings = append(res.Findings, r.Findings...)
			res.Problems = append(res.Problems, r.Problems...)
		}
	}
	if wanted != 1 {
		t.Fatalf("%d analyzers want %s, expected exactly one", wanted, path)
	}
	return res
}

func formatGolden(res engine.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		loc := f.Location
		fmt.Fprintf(&b, "%s %s:%d %s\n", f.RuleID, filepath.Base(loc.Path), loc.StartLine, f.Message)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "problem %d %s\n", p.Line, p.Reason)
	}
	return b.String()
}

func TestGoldenCorpus(t *testing.T) {
	requireCorpus(t)
	for _, name := range goldenFiles {
		t.Run(name, func(t *testing.T) {
			got := formatGolden(analyze(t, filepath.Join(corpusDir, name)))
			path := filepath.Join("testdata", "golden", filepath.Base(name)+".golden")
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

// quiet lists the corpus files that rightly yield nothing: one holds only
// PodSecurityPolicy objects, the other a fully hardened Deployment.
var quiet = map[string]bool{
	"k8s-examples-psp-policies.yaml":                   true,
	"kube-prometheus-grafana-deployment-hardened.yaml": true,
}

// TestCorpusNoCrash runs both analyzers over every corpus file: each file
// is wanted, read without a panic, and yields containers' findings or a
// problem.
func TestCorpusNoCrash(t *testing.T) {
	requireCorpus(t)
	for _, dir := range []string{"compose", "k8s"} {
		paths, err := filepath.Glob(filepath.Join(corpusDir, dir, "*.y*ml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			t.Run(filepath.Base(p), func(t *testing.T) {
				res := analyze(t, p)
				if len(res.Findings) == 0 && len(res.Problems) == 0 && !quiet[filepath.Base(p)] {
					t.Errorf("no findings and no problems")
				}
			})
		}
	}
}
