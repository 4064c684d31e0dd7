package seccomp

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	input "github.com/dockward/dockward/internal/input/seccomp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusDir holds real profiles shared by the project's tests.
const corpusDir = "../../../../shared/corpus/seccomp"

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
			fs, err := Lint(name, data)
			if err != nil {
				t.Fatalf("Lint: %v", err)
			}
			var b strings.Builder
			for _, x := range fs {
				fmt.Fprintf(&b, "%s %s %d:%d %s\n", x.RuleID, x.Severity, x.Location.StartLine,
					x.Location.StartColumn, x.Message)
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

func TestDefaultProfileIsClean(t *testing.T) {
	fs, err := Lint("default.json", input.DefaultJSON())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		switch f.RuleID {
		case "SC000", "SC001", "SC002", "SC003", "SC006", "SC007":
			t.Errorf("default profile: %s at %d: %s", f.RuleID, f.Location.StartLine, f.Message)
		}
	}
}

func BenchmarkLintDefault(b *testing.B) {
	data := input.DefaultJSON()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Lint("default.json", data); err != nil {
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
	f.Add([]byte(allowList(`, {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]},
"args": [{"index": 9, "value": 1, "op": "SCMP_CMP_MASKED_EQ"}]}`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Lint("fuzz.json", data)
	})
}
