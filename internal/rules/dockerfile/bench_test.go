package dockerfile

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
)

// BenchmarkAnalyzeCorpus measures the Dockerfile analyzer alone, parsing
// and every rule, over the corpus files held in memory.
func BenchmarkAnalyzeCorpus(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.Dockerfile"))
	if len(paths) == 0 {
		b.Skip("corpus not found")
	}
	var files []*engine.File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, &engine.File{Path: p, Rel: filepath.Base(p), Data: data})
	}
	env := &engine.Env{Config: config.Default(), Now: testNow}
	b.ResetTimer()
	for range b.N {
		for _, f := range files {
			Analyzer{}.Analyze(context.Background(), f, env)
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
}
