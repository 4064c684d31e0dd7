package seccomp

import (
	"testing"

	"github.com/dockward/dockward/internal/engine"
)

func TestAnalyzerWants(t *testing.T) {
	tests := []struct {
		name string
		path string
		data string
		want bool
	}{
		{"docker profile", "seccomp.json", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": []}`, true},
		{"oci config", "config.json", `{"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}}`, true},
		{"seccompprofile resource", "p.yaml", "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n", true},
		{"other resource", "pod.yaml", "apiVersion: v1\nkind: Pod\n", false},
		{"go source", "x_test.go", "const p = `{\"defaultAction\": \"SCMP_ACT_ERRNO\"}`", false},
		{"package json", "package.json", `{"name": "x", "scripts": {"action": "run"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyzer{}.Wants(&engine.File{Path: tt.path, Data: []byte(tt.data)})
			if got != tt.want {
				t.Errorf("Wants = %v, want %v", got, tt.want)
			}
		})
	}
}
