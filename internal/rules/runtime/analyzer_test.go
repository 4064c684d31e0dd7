package runtime

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/engine"
)

func TestAnalyzerDetection(t *testing.T) {
	tests := []struct {
		name string
		path string
		data string
		want string // analyzer name, or "" for none
	}{
		{"shell by extension", "deploy/run.sh", "docker run img:1\n", "shell"},
		{"shell by shebang", "bin/start", "#!/usr/bin/env bash\ndocker run img:1\n", "shell"},
		{"shell without docker", "build.sh", "make all\n", ""},
		{"makefile", "Makefile", "run:\n\tdocker run img:1\n", "makefile"},
		{"makefile suffix", "docker.mk", "run:\n\tpodman run img:1\n", "makefile"},
		{"github workflow by path", ".github/workflows/ci.yml", "on: push\njobs: {}\n", "ci"},
		{"github workflow by content", "ci/build.yaml",
			"on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker run img:1\n", "ci"},
		{"gitlab by name", ".gitlab-ci.yml", "test:\n  script: docker run img:1\n", "ci"},
		{"gitlab by content", "pipeline.yml", "stages: [a]\nt:\n  script:\n    - docker run img:1\n", "ci"},
		{"compose is not ci", "stack.yml", "services:\n  web:\n    image: nginx\n", ""},
		{"markdown", "docs/run.md", "```sh\ndocker run img:1\n```\n", "markdown"},
		{"systemd unit", "deploy/web.service", "[Service]\nExecStart=/usr/bin/docker run img:1\n", "systemd"},
		{"inspect json", "web.json", "[\n  {\n    \"Id\": \"x\",\n    \"HostConfig\": {}\n  }\n]\n", "inspect"},
		{"other json", "package.json", "{\"name\": \"docker\"}\n", ""},
		{"binary", "run.sh", "docker\x00run", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &engine.File{Path: tt.path, Rel: tt.path, Data: []byte(tt.data)}
			f.Binary = strings.Contains(tt.data, "\x00")
			var got []string
			for _, a := range Analyzers() {
				if a.Wants(f) {
					got = append(got, a.Name())
				}
			}
			if tt.want == "" {
				require.Empty(t, got)
				return
			}
			require.Equal(t, []string{tt.want}, got)
		})
	}
}
