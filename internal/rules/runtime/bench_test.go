package runtime

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockward/dockward/internal/engine"
)

// BenchmarkShellAnalyzer parses and audits the largest corpus script, a
// file of shell functions with about a hundred docker run commands.
func BenchmarkShellAnalyzer(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "jessfraz-dockerfunc.sh"))
	if err != nil {
		b.Skipf("corpus not found: %v", err)
	}
	f := &engine.File{Path: "dockerfunc.sh", Rel: "dockerfunc.sh", Data: data}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res := ShellAnalyzer.Analyze(context.Background(), f, &engine.Env{})
		if len(res.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
