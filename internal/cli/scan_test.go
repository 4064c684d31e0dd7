package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
)

type scanFile struct {
	name, body string
	mode       int64
}

func scanTar(t *testing.T, files ...scanFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)),
			Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(f.body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// writeDockerArchive writes a docker save archive of one layer holding
// files, with an image config that sets cfg.
func writeDockerArchive(t *testing.T, cfg map[string]any, files ...scanFile) string {
	t.Helper()
	return writeArchiveWithDiffID(t, cfg, "", files...)
}

// writeArchiveWithDiffID is writeDockerArchive with the layer's diff ID in
// the config replaced by diffID, unless it is empty.
func writeArchiveWithDiffID(t *testing.T, cfg map[string]any, diffID string, files ...scanFile) string {
	t.Helper()
	layer := scanTar(t, files...)
	if diffID == "" {
		diffID = "sha256:" + sha(layer)
	}
	config := map[string]any{"architecture": "amd64", "os": "linux", "config": cfg,
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}}}
	cb, err := json.Marshal(config)
	require.NoError(t, err)
	manifest, err := json.Marshal([]map[string]any{{"Config": "blobs/sha256/" + sha(cb),
		"RepoTags": []string{"test/app:1"}, "Layers": []string{"blobs/sha256/" + sha(layer)}}})
	require.NoError(t, err)
	archive := scanTar(t, scanFile{"blobs/sha256/" + sha(cb), string(cb), 0o644},
		scanFile{"blobs/sha256/" + sha(layer), string(layer), 0o644}, scanFile{"manifest.json", string(manifest), 0o644})
	p := filepath.Join(t.TempDir(), "app.tar")
	require.NoError(t, os.WriteFile(p, archive, 0o644))
	return p
}

func runCommand(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	root := NewRootCommand(strings.NewReader(""), &stdout, &stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return stdout.String(), stderr.String(), err
}

func ruleIDs(t *testing.T, out string) map[string]int {
	t.Helper()
	var rep finding.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	ids := map[string]int{}
	for _, f := range rep.Findings {
		ids[f.RuleID]++
	}
	return ids
}

const planted = "DB_PASSWORD=Hunter2-prod-9f3kQ"

func TestScanDockerArchive(t *testing.T) {
	p := writeDockerArchive(t, map[string]any{"Env": []string{planted}, "ExposedPorts": map[string]any{"22/tcp": map[string]any{}}},
		scanFile{"etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0o644},
		scanFile{"bin/su", "\x7fELF", 0o4755},
		scanFile{"app/.env", "API_KEY=sk_live_" + strings.Repeat("4eC39HqLyjWDarjtT1zdp7dc", 1) + "\n", 0o644})
	out, _, err := runCommand(t, "scan", "--scanners", "config,secret", "--format", "json", p)
	var ee *ExitError
	require.True(t, errors.As(err, &ee), "error %v", err)
	require.Equal(t, 1, ee.Code)
	ids := ruleIDs(t, out)
	for _, id := range []string{"IM001", "IM002", "IM003", "IM005", "IM012", "IM014"} {
		require.NotZero(t, ids[id], "missing %s in %v", id, ids)
	}
	require.NotContains(t, out, "Hunter2-prod-9f3kQ")
	require.NotContains(t, out, "4eC39HqLyjWDarjtT1zdp7dc")
}

// TestScanTamperedLayer checks that every image command reports a layer
// whose content does not match its diff ID and exits with status 2, also
// when it writes an SBOM.
func TestScanTamperedLayer(t *testing.T) {
	p := writeArchiveWithDiffID(t, nil, "sha256:"+sha([]byte("other")),
		scanFile{"etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0o644})
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{
		{"scan", "--scanners", "config,secret", "--format", "json", "--fail-on", "none", "-o", out, p},
		{"scan", "--format", "cyclonedx", "-o", out, p},
		{"sbom", "--format", "spdx-json", "-o", out, p},
		{"secrets", "--format", "json", "--fail-on", "none", "-o", out, p},
	} {
		t.Run(args[0]+" "+args[2]+" "+args[3], func(t *testing.T) {
			require.NoError(t, os.RemoveAll(out))
			_, stderr, err := runCommand(t, args...)
			var ee *ExitError
			require.True(t, errors.As(err, &ee), "error %v", err)
			require.Equal(t, 2, ee.Code)
			msg := err.Error() + stderr
			if b, err := os.ReadFile(out); err == nil {
				msg += string(b)
			} else {
				t.Fatalf("no output written: %v", err)
			}
			require.Contains(t, msg, "diff ID mismatch: the manifest names sha256:"+sha([]byte("other")))
		})
	}
}

func TestScanRootfs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc/os-release"), []byte("ID=debian\nVERSION_ID=\"10\"\n"), 0o644))
	out, _, err := runCommand(t, "scan", "--scanners", "config", "--format", "json", "--fail-on", "none",
		"--now", "2026-01-01", "rootfs", dir)
	require.NoError(t, err)
	ids := ruleIDs(t, out)
	require.Equal(t, 1, ids["IM008"], "%v", ids)
	require.Zero(t, ids["IM001"], "a root file system has no config")
}

func TestScanUsageErrors(t *testing.T) {
	p := writeDockerArchive(t, nil, scanFile{"a", "b", 0o644})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown scanner", []string{"scan", "--scanners", "virus", p}, `invalid --scanners value "virus"`},
		{"unknown format", []string{"scan", "--format", "xml", p}, `invalid --format "xml"`},
		{"missing image", []string{"scan", "./missing.tar"}, `no file or directory "./missing.tar"`},
		{"two images", []string{"scan", "a", "b"}, "scan takes one IMAGE, or rootfs DIR"},
		{"fail-on with SBOM", []string{"scan", "--format", "cyclonedx", "--fail-on", "low", p},
			"--fail-on applies to findings, and --format cyclonedx writes the package inventory"},
		{"severity with SBOM", []string{"scan", "--format", "spdx-json", "--severity", "high", p},
			"--severity applies to findings"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCommand(t, tc.args...)
			var ee *ExitError
			require.True(t, errors.As(err, &ee), "error %v", err)
			require.Equal(t, 2, ee.Code)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestScanCycloneDX(t *testing.T) {
	p := writeDockerArchive(t, nil, scanFile{"etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", 0o644},
		scanFile{"var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b7\n" +
			"Architecture: amd64\n\n", 0o644})
	out, _, err := runCommand(t, "scan", "--format", "cyclonedx", p)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Equal(t, "CycloneDX", doc["bomFormat"])
	require.Contains(t, out, "pkg:deb/debian/bash@5.2.15-2%2Bb7")
}
