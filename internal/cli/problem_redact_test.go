package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// A value that fails to decode is quoted in the problem's reason; when it
// is a secret, every output format must show it redacted.
func TestProblemReasonsRedacted(t *testing.T) {
	token := secrettest.NewGenerator(7).GitHubToken("ghp_")
	dir := t.TempDir()
	script := "#!/bin/sh\ndocker run --memory=" + token + " --user 10001 example/app:1.0\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "run.sh"), []byte(script), 0o644))

	for _, format := range []string{"table", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			out, errOut, _ := run(t, "", "audit", "-f", format, "--fail-on", "none", filepath.Join(dir, "run.sh"))
			require.Contains(t, out+errOut, "invalid memory size", "the problem is reported")
			require.NotContains(t, out+errOut, token)
			require.NotContains(t, out+errOut, token[4:20])
			require.True(t, strings.Contains(out+errOut, "ghp_"), "the token kind stays visible")
		})
	}
}
