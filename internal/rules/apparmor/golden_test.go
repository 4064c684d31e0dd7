package apparmor

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusDir holds real profiles shared by the project's tests.
const corpusDir = "../../../../shared/corpus/apparmor"

func TestCorpusGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no profiles in %s", corpusDir)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fs, ps, err := Lint(name, data, noIncludes)
			if err != nil {
				t.Fatalf("Lint: %v", err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "detected: %v\n", Detect(data))
			for _, x := range fs {
				fmt.Fprintf(&b, "%s %s %d %s\n", x.RuleID, x.Severity, x.Location.StartLine, x.Message)
			}
			for _, p := range ps {
				fmt.Fprintf(&b, "problem %d %s\n", p.Line, p.Reason)
			}
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden file (run with -update): %v", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDockerDefaultNotWeaker checks the AA009 baseline against the
// rendered docker-default profile: it must not be weaker than itself.
func TestDockerDefaultNotWeaker(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "moby-docker-default.golden"))
	if err != nil {
		t.Skipf("docker-default profile not found: %v", err)
	}
	fs, _, err := Lint("docker-default", data, noIncludes)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		switch f.RuleID {
		case "AA000", "AA004", "AA005", "AA006", "AA007", "AA009":
			t.Errorf("%s: %s", f.RuleID, f.Message)
		}
	}
}

func BenchmarkLintDockerDefault(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "moby-docker-default.golden"))
	if err != nil {
		b.Skipf("docker-default profile not found: %v", err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Lint("docker-default", data, noIncludes); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzLint(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(tight))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := noIncludes
		opts.Name = "app"
		_, _, _ = Lint("fuzz", data, opts)
	})
}
