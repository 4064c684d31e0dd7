package manifest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/rules"
	"github.com/dockward/dockward/internal/rules/manifest"
)

// benchSize is the number of compose services and of Kubernetes workloads
// each benchmark audits.
const benchSize = 5000

// composeFile returns a compose file with n services that mix hardened
// and risky settings, anchors, merge keys and extends.
func composeFile(n int) []byte {
	var b strings.Builder
	b.WriteString("x-hardened: &hardened\n  read_only: true\n  cap_drop: [ALL]\n" +
		"  security_opt: [no-new-privileges:true]\n  deploy:\n    resources:\n" +
		"      limits: {cpus: \"0.5\", memory: 256M, pids: 100}\n")
	b.WriteString("services:\n  base:\n    image: nginx:1.27\n    user: \"10001\"\n")
	for i := range n - 1 {
		fmt.Fprintf(&b, "  svc%d:\n", i)
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "    <<: *hardened\n    image: registry.example/app%d:1.%d\n", i, i%10)
			b.WriteString("    healthcheck:\n      test: [\"CMD\", \"/app\", \"-health\"]\n")
		case 1:
			b.WriteString("    extends: base\n    ports: [\"8080:80\", \"127.0.0.1:9090:9090\"]\n")
			b.WriteString("    environment:\n      MODE: prod\n      TOKEN: ${TOKEN:-none}\n")
		default:
			fmt.Fprintf(&b, "    image: busybox\n    privileged: true\n    pid: host\n")
			b.WriteString("    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\", \"data:/data\"]\n")
			b.WriteString("    tmpfs: [\"/run:size=64m\"]\n    cap_add: [SYS_ADMIN]\n")
		}
	}
	return []byte(b.String())
}

// manifestFile returns n workloads of every kind in one multi-document
// stream, as helm template writes them.
func manifestFile(n int) []byte {
	kinds := []struct{ kind, head, indent string }{
		{"Deployment", "spec:\n  template:\n    spec:\n", "      "},
		{"DaemonSet", "spec:\n  template:\n    spec:\n", "      "},
		{"CronJob", "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n", "          "},
		{"Pod", "spec:\n", "  "},
	}
	var b strings.Builder
	for i := range n {
		k := kinds[i%len(kinds)]
		fmt.Fprintf(&b, "---\n# Source: chart/templates/w%d.yaml\napiVersion: v1\nkind: %s\n", i, k.kind)
		fmt.Fprintf(&b, "metadata:\n  name: w%d\n  annotations:\n    team: t%d\n", i, i%7)
		b.WriteString(k.head)
		in := k.indent
		fmt.Fprintf(&b, "%shostNetwork: %t\n%ssecurityContext:\n%s  runAsNonRoot: true\n", in, i%5 == 0, in, in)
		fmt.Fprintf(&b, "%scontainers:\n%s- name: app\n%s  image: registry.example/w%d:1.0\n", in, in, in, i)
		fmt.Fprintf(&b, "%s  resources: {limits: {memory: 128Mi, cpu: 250m}}\n", in)
		fmt.Fprintf(&b, "%s  securityContext:\n%s    allowPrivilegeEscalation: false\n", in, in)
		fmt.Fprintf(&b, "%s    capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n", in)
		fmt.Fprintf(&b, "%s  ports: [{containerPort: 8080}]\n", in)
		fmt.Fprintf(&b, "%s  volumeMounts: [{name: host, mountPath: /host}]\n", in)
		fmt.Fprintf(&b, "%svolumes: [{name: host, hostPath: {path: /var/log}}]\n", in)
	}
	return []byte(b.String())
}

// filesPerTree is the number of files the benchmark trees spread the
// services and workloads over. Real projects keep tens of services per
// compose file and tens of workloads per manifest.
const filesPerTree = 250

// writeTree writes filesPerTree files made by gen, each holding
// benchSize/filesPerTree services or workloads, and returns the directory.
func writeTree(tb testing.TB, name string, gen func(n int) []byte) string {
	dir := tb.TempDir()
	writeTreeTo(tb, dir, name, gen)
	return dir
}

func writeTreeTo(tb testing.TB, dir, name string, gen func(n int) []byte) {
	data := gen(benchSize / filesPerTree)
	for i := range filesPerTree {
		sub := filepath.Join(dir, fmt.Sprintf("app%03d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// benchTreeEnv names the directory that TestWriteBenchTrees fills.
const benchTreeEnv = "DOCKWARD_BENCH_TREES"

// TestWriteBenchTrees writes the benchmark inputs under the directory
// that DOCKWARD_BENCH_TREES names, so that bench/runtime-check.sh times
// dockward check on the same files. compose/ and kubernetes/ get the trees
// of the check benchmarks, and single/ the file of BenchmarkAuditCompose.
// Without the variable the test does nothing.
func TestWriteBenchTrees(t *testing.T) {
	dir := os.Getenv(benchTreeEnv)
	if dir == "" {
		t.Skip(benchTreeEnv + " is not set")
	}
	writeTreeTo(t, filepath.Join(dir, "compose"), "compose.yaml", composeFile)
	writeTreeTo(t, filepath.Join(dir, "kubernetes"), "manifests.yaml", manifestFile)
	big := filepath.Join(dir, "single", "compose.yaml")
	if err := os.MkdirAll(filepath.Dir(big), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, composeFile(benchSize), 0o644); err != nil {
		t.Fatal(err)
	}
}

// benchmarkCheck audits a tree the way dockward check does: the engine
// walks it and runs the analyzers on GOMAXPROCS workers.
func benchmarkCheck(b *testing.B, dir string, containers int) {
	e := engine.New(rules.Registry(), manifest.Analyzers()...)
	start := cpuTime()
	for b.Loop() {
		rep, err := e.Check(context.Background(), []string{dir}, engine.Options{Config: config.Default()})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Problems) > 0 {
			b.Fatalf("unexpected problem: %+v", rep.Problems[0])
		}
		if len(rep.Findings) < containers {
			b.Fatalf("%d findings for %d containers", len(rep.Findings), containers)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e9, "cpu-s/op")
}

// BenchmarkCheckCompose audits 5,000 compose services in 250 files.
func BenchmarkCheckCompose(b *testing.B) {
	benchmarkCheck(b, writeTree(b, "compose.yaml", composeFile), benchSize)
}

// BenchmarkCheckKubernetes audits 5,000 workloads in 250 manifests.
func BenchmarkCheckKubernetes(b *testing.B) {
	benchmarkCheck(b, writeTree(b, "manifests.yaml", manifestFile), benchSize)
}

func benchmarkAnalyzer(b *testing.B, a engine.Analyzer, name string, data []byte, containers int) {
	path := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	f := &engine.File{Path: path, Rel: name, Data: data}
	if !a.Wants(f) {
		b.Fatalf("%s does not want the generated file", a.Name())
	}
	b.SetBytes(int64(len(data)))
	start := cpuTime()
	for b.Loop() {
		res := a.Analyze(context.Background(), f, nil)
		if len(res.Problems) > 0 {
			b.Fatalf("unexpected problem: %+v", res.Problems[0])
		}
		if len(res.Findings) < containers {
			b.Fatalf("%d findings for %d containers", len(res.Findings), containers)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e9, "cpu-s/op")
}

// BenchmarkAuditCompose reads and audits one compose file of 5,000
// services. The reader loads a file this large in parts, one per core.
func BenchmarkAuditCompose(b *testing.B) {
	benchmarkAnalyzer(b, manifest.ComposeAnalyzer, "compose.yaml", composeFile(benchSize), benchSize)
}

// BenchmarkAuditKubernetes reads and audits 5,000 workloads in one
// multi-document manifest on one goroutine.
func BenchmarkAuditKubernetes(b *testing.B) {
	benchmarkAnalyzer(b, manifest.KubernetesAnalyzer, "manifests.yaml", manifestFile(benchSize), benchSize)
}
