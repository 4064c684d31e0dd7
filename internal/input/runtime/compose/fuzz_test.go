package compose

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir holds real compose files shared by the project's tests.
const corpusDir = "../../../../../shared/corpus/compose"

func FuzzLoad(f *testing.F) {
	f.Add([]byte("services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"))
	f.Add([]byte("x-a: &a\n  cap_add: [ALL]\nservices:\n  web:\n    <<: [*a]\n    image: x\n"))
	f.Add([]byte("x-a: &a {privileged: true}\nservices:\n  s:\n    <<: *a\n    <<: *a\n"))
	f.Add([]byte("services:\n  a:\n    extends: b\n  b:\n    extends: a\n"))
	f.Add([]byte("services:\n  web:\n    image: \"${A:+${A},}B\"\n    user: ${U:?need a user}\n"))
	f.Add([]byte("a: &a [*a]\nservices: *a\n"))
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.yaml"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Load(context.Background(), "compose.yaml", data, Options{Dir: dir, Env: map[string]string{}})
		for _, c := range res.Containers {
			if c.Name == "" {
				t.Fatalf("container without a service name")
			}
		}
	})
}
