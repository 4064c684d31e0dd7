package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

// TestIntegrationScanExampleImage builds the example web application with
// docker build and scans it from the Docker Engine. No registry is
// reachable, so the FROM line is pointed at the Debian test image; every
// other instruction is the example's own.
func TestIntegrationScanExampleImage(t *testing.T) {
	d := testenv.RequireDocker(t)
	base := testenv.DebianImage(t)

	ctxDir := t.TempDir()
	src := filepath.Join("..", "..", "examples", "webapp")
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		if e.Name() == "Dockerfile" {
			b = regexp.MustCompile(`(?m)^FROM \S+`).ReplaceAll(b, []byte("FROM "+base))
		}
		require.NoError(t, os.WriteFile(filepath.Join(ctxDir, e.Name()), b, 0o644))
	}
	tag := "dockward-test/webapp:scan"
	d.Output(t, "build", "-q", "--network", "none", "-t", tag, ctxDir)
	t.Cleanup(func() { _ = d.Command(t.Context(), "image", "rm", "-f", tag).Run() })

	out, _, err := runCommand(t, "scan", "--scanners", "config,secret", "--format", "json", tag)
	require.Error(t, err, "the example has high findings")
	ids := ruleIDs(t, out)
	for _, id := range []string{"IM001", "IM002", "IM003", "IM005", "IM006", "IM014"} {
		require.NotZero(t, ids[id], "missing %s in %v", id, ids)
	}
	require.NotContains(t, out, "Sup3rS3cretPassw0rd-42")
	require.True(t, strings.Contains(out, `"image_path": "/app/app.py"`) || strings.Contains(out, `"image_path":"/app/app.py"`))
}
