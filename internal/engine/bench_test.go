package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/rules"
)

// BenchmarkCheckDockerfileTree runs every analyzer over a tree of more than
// 2,000 Dockerfiles copied from the corpus, as `dockward check` does.
func BenchmarkCheckDockerfileTree(b *testing.B) {
	corpus, err := filepath.Glob("../../../shared/corpus/dockerfiles/*.Dockerfile")
	if err != nil || len(corpus) == 0 {
		b.Skip("corpus not found")
	}
	dir := b.TempDir()
	n := 0
	for i := 0; n < 2000; i++ {
		for _, p := range corpus {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			sub := filepath.Join(dir, "copy"+string(rune('a'+i%26))+string(rune('a'+i/26)), filepath.Base(p))
			if err := os.MkdirAll(sub, 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sub, "Dockerfile"), data, 0o644); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	eng := engine.New(rules.Registry(), rules.Analyzers()...)
	b.ResetTimer()
	for range b.N {
		rep, err := eng.Check(context.Background(), []string{dir}, engine.Options{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
