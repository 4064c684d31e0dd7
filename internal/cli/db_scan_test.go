package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
)

const pamStatus = `Package: libpam0g
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 250
Maintainer: Steve Langasek <vorlon@debian.org>
Architecture: amd64
Multi-Arch: same
Source: pam
Version: 1.5.2-6+deb12u1
Description: Pluggable Authentication Modules library

Package: zlib1g
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 164
Maintainer: Mark Brown <broonie@debian.org>
Architecture: amd64
Multi-Arch: same
Source: zlib
Version: 1:1.2.13.dfsg-1+deb12u1
Description: compression library - runtime
`

// debianRootfs writes a minimal Debian 12 root file system with a dpkg
// status database listing a vulnerable libpam0g and a fixed zlib1g.
func debianRootfs(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"etc/os-release":      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
		"var/lib/dpkg/status": pamStatus,
	}
	for name, content := range files {
		path := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return root
}

// scanReport is the part of a JSON scan report these tests read,
// including the "vulnerability" object that finding.Finding keeps as raw
// JSON.
type scanReport struct {
	Findings []struct {
		finding.Finding
		Vulnerability struct {
			Package struct {
				Name string `json:"name"`
			} `json:"package"`
			Reachability string `json:"reachability"`
			Found        struct {
				Path string `json:"path"`
			} `json:"found"`
		} `json:"vulnerability"`
	} `json:"findings"`
}

func runScanJSON(t *testing.T, args ...string) (*scanReport, string, error) {
	t.Helper()
	var stdout, stderr strings.Builder
	g := &globals{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	g.logger = newLogger(&stderr, false, true)
	cmd := newScanCommand(g)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	if stdout.Len() == 0 {
		return nil, stderr.String(), err
	}
	var rep scanReport
	require.NoError(t, json.Unmarshal([]byte(stdout.String()), &rep), stdout.String())
	return &rep, stderr.String(), err
}

func vulnIDs(rep *scanReport) map[string]bool {
	out := map[string]bool{}
	for _, f := range rep.Findings {
		out[f.RuleID] = f.Suppressed
	}
	return out
}

func TestScanRootfsVulnerabilities(t *testing.T) {
	dbDir := t.TempDir()
	_, _, err := runDB(t, "import", "--db-dir", dbDir, realVulnDB(t, "debian-12-osv"))
	require.NoError(t, err)
	root := debianRootfs(t)

	rep, stderr, err := runScanJSON(t, "rootfs", root, "--scanners", "vuln", "--db-dir", dbDir,
		"--format", "json", "--fail-on", "none")
	require.NoError(t, err, stderr)
	require.Equal(t, map[string]bool{"DEBIAN-CVE-2024-22365": false, "DEBIAN-CVE-2025-6020": false}, vulnIDs(rep))

	f := rep.Findings[0]
	require.Equal(t, finding.Unknown, f.Severity)
	require.Contains(t, f.Message, "source package pam")
	require.Equal(t, "/var/lib/dpkg/status", f.Location.ImagePath)

	cfg := filepath.Join(t.TempDir(), ".dockward.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\nvulnerabilities:\n  ignore:\n"+
		"    - id: CVE-2024-22365\n      package: libpam0g\n      reason: pam_namespace is not used\n"), 0o644))
	rep, stderr, err = runScanJSON(t, "rootfs", root, "--scanners", "vuln", "--db-dir", dbDir,
		"--format", "json", "--fail-on", "none", "--config", cfg)
	require.NoError(t, err, stderr)
	require.Equal(t, map[string]bool{"DEBIAN-CVE-2024-22365": true, "DEBIAN-CVE-2025-6020": false}, vulnIDs(rep))
}

func TestScanRootfsVulnerabilityFormats(t *testing.T) {
	dbDir := t.TempDir()
	_, _, err := runDB(t, "import", "--db-dir", dbDir, realVulnDB(t, "debian-12-osv"))
	require.NoError(t, err)
	root := debianRootfs(t)
	for _, format := range []string{"table", "sarif"} {
		t.Run(format, func(t *testing.T) {
			var stdout, stderr strings.Builder
			g := &globals{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
			g.logger = newLogger(&stderr, false, true)
			cmd := newScanCommand(g)
			cmd.SetArgs([]string{"rootfs", root, "--scanners", "vuln", "--db-dir", dbDir, "--format", format,
				"--fail-on", "none", "--color", "never"})
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			require.NoError(t, cmd.Execute(), stderr.String())
			require.Contains(t, stdout.String(), "DEBIAN-CVE-2024-22365")
		})
	}
}

func TestScanWithoutDatabaseNamesCommand(t *testing.T) {
	_, _, err := runScanJSON(t, "rootfs", debianRootfs(t), "--scanners", "vuln", "--db-dir", t.TempDir(),
		"--format", "json")
	require.Error(t, err)
	require.Contains(t, err.Error(), "dockward db update")
}

func TestScanRootfsAlpine(t *testing.T) {
	dbDir := t.TempDir()
	_, _, err := runDB(t, "import", "--db-dir", dbDir, filepath.Join(realVulnDB(t, "alpine-secdb"), "v3.11"))
	require.NoError(t, err)

	tests := []struct {
		name      string
		osRelease string
		installed string
		want      map[string]bool
	}{
		{
			name:      "vulnerable musl and origin package",
			osRelease: "ID=alpine\nVERSION_ID=3.11.6\n",
			installed: "P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\nP:libcrypto1.1\nV:1.1.1d-r2\nA:x86_64\no:openssl\n\n",
			want:      map[string]bool{"CVE-2019-14697": false, "CVE-2019-1551": false},
		},
		{
			name:      "fixed versions",
			osRelease: "ID=alpine\nVERSION_ID=3.11.6\n",
			installed: "P:musl\nV:1.1.24-r2\nA:x86_64\no:musl\n\nP:libcrypto1.1\nV:1.1.1g-r0\nA:x86_64\no:openssl\n\n",
			want:      map[string]bool{},
		},
		{
			name:      "other release",
			osRelease: "ID=alpine\nVERSION_ID=3.20.3\n",
			installed: "P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\n",
			want:      map[string]bool{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string]string{"etc/os-release": tc.osRelease, "lib/apk/db/installed": tc.installed}
			for name, content := range files {
				path := filepath.Join(root, name)
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
			}
			rep, stderr, err := runScanJSON(t, "rootfs", root, "--scanners", "vuln", "--db-dir", dbDir,
				"--format", "json", "--fail-on", "none")
			require.NoError(t, err, stderr)
			require.Equal(t, tc.want, vulnIDs(rep))
		})
	}
}
