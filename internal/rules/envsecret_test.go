package rules

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/engine"
)

// TestEnvSecretReportedOnce runs every analyzer over docker run lines
// with a -e secret: RT031 reports it when the flag reaches docker run,
// and an SE rule when a broken continuation strands it, never both.
func TestEnvSecretReportedOnce(t *testing.T) {
	const password = "Qz7kLm29vXpT4rW8sYbN"
	tests := []struct {
		name, script string
		want         string // the one rule that reports the value
	}{
		{"continued", "docker run --rm \\\n  -e DB_PASSWORD=" + password + " \\\n  img:1\n", "RT031"},
		{"backslash space", "docker run --rm \\ \n  -e DB_PASSWORD=" + password + " \\\n  img:1\n", "SE055"},
		{"comment", "docker run --rm \\\n  # note\n  -e DB_PASSWORD=" + password + " \\\n  img:1\n", "SE055"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "run.sh")
			require.NoError(t, os.WriteFile(path, []byte(tt.script), 0o644))

			rep, err := engine.New(Registry(), Analyzers()...).Check(context.Background(), []string{path}, engine.Options{})
			require.NoError(t, err)

			var got []string
			for _, f := range rep.Findings {
				if f.RuleID == "RT031" || f.RuleID[:2] == "SE" {
					got = append(got, f.RuleID)
					require.NotContains(t, f.Message, password)
				}
			}
			require.Equal(t, []string{tt.want}, got)
		})
	}
}
