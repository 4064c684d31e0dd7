package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
)

func TestApplySetsContentHash(t *testing.T) {
	file := &engine.File{Path: "run.sh", Rel: "run.sh", Data: []byte("docker run --privileged img:1\n" +
		"  docker   run --privileged img:1\n" +
		"docker run --privileged img:2\n")}
	at := func(path string, line int) finding.Finding {
		return finding.Finding{RuleID: "RT002", Message: "the container is privileged",
			Location: finding.Location{Path: path, StartLine: line, EndLine: line}}
	}
	fs := []finding.Finding{at("run.sh", 1), at("run.sh", 2), at("run.sh", 3), at("other.sh", 1),
		at("run.sh", 9)}

	got := newEngine().Apply(fs, file, config.Default(), now)

	require.Len(t, got, 5)
	require.NotEmpty(t, got[0].ContentHash)
	require.Equal(t, got[0].ContentHash, got[1].ContentHash, "whitespace is collapsed")
	require.NotEqual(t, got[0].ContentHash, got[2].ContentHash)
	require.Empty(t, got[3].ContentHash, "another file's line is not read")
	require.Empty(t, got[4].ContentHash, "a line past the end has no text")
}
