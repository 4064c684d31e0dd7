package secrets

import (
	"context"
	"testing"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// FuzzAnalyzer feeds arbitrary files to the analyzer's manifest,
// command-line, dotenv and structural readers, under names that select
// each of them. It must not panic, and every location must be in the file.
func FuzzAnalyzer(f *testing.F) {
	for _, p := range secrettest.Plants(2) {
		f.Add(p.Path, []byte(p.Content))
	}
	f.Add("secret.yaml", []byte("apiVersion: v1\nkind: Secret\ndata:\n  a: !!binary AAAA\n  b: [1]\n"))
	f.Add("list.yaml", []byte("kind: List\nitems:\n- kind: Secret\n  stringData: {x: y}\n- 3\n"))
	f.Add("Dockerfile", []byte("FROM a\nENV A=b \\\n"))
	f.Add("compose.yaml", []byte("services:\n  a:\n    environment:\n    - A=b\n"))
	f.Add(".env", []byte("export A=\"b\nB='c' # d\n"))
	f.Add("run.sh", []byte("echo 'x' | docker secret create a -\nmysql -p\ncurl -u a: b\n"))
	env := &engine.Env{Config: config.Default()}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		file := &engine.File{Path: name, Rel: name, Data: data}
		res := Analyzer{}.Analyze(context.Background(), file, env)
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for _, fd := range res.Findings {
			if fd.Location.StartLine < 1 || fd.Location.StartLine > lines {
				t.Fatalf("%s finding on line %d of a %d-line file", fd.RuleID, fd.Location.StartLine, lines)
			}
		}
	})
}
