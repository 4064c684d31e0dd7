package kube

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir holds real manifests shared by the project's tests.
const corpusDir = "../../../../../shared/corpus/k8s"

func FuzzRead(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x}]\n"))
	f.Add([]byte("kind: List\nitems:\n- kind: List\n  items: [{kind: Pod, spec: {containers: [{}]}}]\n"))
	f.Add([]byte("kind: CronJob\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a}]}}}}}\n"))
	f.Add([]byte("a: &a [*a]\nkind: Pod\nspec: *a\n"))
	f.Add([]byte("{\"kind\": \"Pod\", \"spec\": {\"containers\": [{\"name\": \"a\", \"securityContext\": {\"privileged\": 1}}]}}"))
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.y*ml"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Reader{}.Read("m.yaml", data)
		for _, c := range res.Containers {
			if c.Kubernetes == nil {
				t.Fatalf("container %q without Kubernetes settings", c.Name)
			}
		}
	})
}
