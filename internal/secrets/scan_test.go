package secrets_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/secrets"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

func TestScanFindsEveryPlantedSecret(t *testing.T) {
	plants := secrettest.Plants(1)
	seen := map[string]bool{}
	for _, p := range plants {
		seen[p.RuleID] = true
	}
	for _, d := range secrets.Detectors() {
		require.True(t, seen[d.ID], "detector %s has no planted secret", d.ID)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		for _, p := range secrettest.Plants(seed) {
			t.Run(p.RuleID, func(t *testing.T) {
				ms := secrets.Default().Scan(p.Path, []byte(p.Content))
				var found bool
				for _, m := range ms {
					span := p.Content[m.Start:m.End]
					if m.RuleID == p.RuleID && strings.Contains(span, p.Secret) {
						found = true
					}
					require.NotContains(t, m.Redacted, p.Secret)
				}
				require.True(t, found, "seed %d: %s not found in %s; got %+v", seed, p.RuleID, p.Path, ms)
			})
		}
	}
}

// TestScanSharedCorpusHasNoSecrets runs every detector over real
// Dockerfiles, compose files, manifests, scripts and profiles that hold
// no secrets; each match there is a false positive.
func TestScanSharedCorpusHasNoSecrets(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared corpus not available at %s: %v", root, err)
	}
	var files int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		for _, m := range secrets.Default().Scan(filepath.ToSlash(rel), data) {
			t.Errorf("%s:%d:%d: %s (%s) matched %s", rel, m.Line, m.Column, m.RuleID, m.Detector, m.Redacted)
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 100)
}
