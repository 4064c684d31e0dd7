package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/vulndb"
)

// runDB runs "db ARGS..." and returns standard output, standard error and
// the error.
func runDB(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	g := &globals{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	cmd := newDBCommand(g)
	cmd.SetArgs(args)
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return stdout.String(), stderr.String(), err
}

func realVulnDB(t *testing.T, sub string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "vulndb", sub))
	require.NoError(t, err)
	return dir
}

func TestDBImportAndStatus(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(t.TempDir(), "broken.json")
	require.NoError(t, os.WriteFile(broken, []byte(`{"id": 12}`), 0o644))

	out, errOut, err := runDB(t, "import", "--db-dir", dir, realVulnDB(t, "debian-12-osv"),
		filepath.Join(realVulnDB(t, "alpine-secdb"), "v3.11"), broken)
	require.NoError(t, err)
	require.Contains(t, out, "imported")
	require.Contains(t, out, "(0 withdrawn and 1 malformed records skipped)")
	require.Contains(t, errOut, "warning: "+broken)

	out, _, err = runDB(t, "status", "--db-dir", dir)
	require.NoError(t, err)
	require.Contains(t, out, "Debian:12")
	require.Contains(t, out, "Alpine:v3.11")
	require.Contains(t, out, realVulnDB(t, "debian-12-osv"))
	require.NotContains(t, out, "warning")

	out, _, err = runDB(t, "status", "--db-dir", dir, "--format", "json")
	require.NoError(t, err)
	var st statusJSON
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	require.Equal(t, 19, st.Ecosystems["Debian:12"])
	require.False(t, st.Stale)
}

func TestDBStatusWithoutDatabase(t *testing.T) {
	_, _, err := runDB(t, "status", "--db-dir", t.TempDir())
	var ee *ExitError
	require.True(t, errors.As(err, &ee), "error %v is not an ExitError", err)
	require.Equal(t, 2, ee.Code)
	require.ErrorIs(t, err, vulndb.ErrNoDatabase)
	require.Contains(t, err.Error(), "dockward db update")
}

func TestDBImportCorruptArchiveKeepsDatabase(t *testing.T) {
	dir := t.TempDir()
	_, _, err := runDB(t, "import", "--db-dir", dir, realVulnDB(t, "debian-12-osv"))
	require.NoError(t, err)
	bad := filepath.Join(t.TempDir(), "all.zip")
	require.NoError(t, os.WriteFile(bad, []byte("not a zip"), 0o644))

	_, _, err = runDB(t, "import", "--db-dir", dir, bad)
	require.ErrorIs(t, err, vulndb.ErrCorruptArchive)
	require.Contains(t, err.Error(), "the database was not changed")
	out, _, err := runDB(t, "status", "--db-dir", dir)
	require.NoError(t, err)
	require.Contains(t, out, "Debian:12")
}

func TestDBUpdateFromLoopbackMirror(t *testing.T) {
	archive := zipRecords(t, realVulnDB(t, "debian-12-osv"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/Debian/all.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(archive)
	}))
	defer srv.Close()
	dir := t.TempDir()

	out, errOut, err := runDB(t, "update", "--db-dir", dir, "--source", srv.URL, "--ecosystem", "Debian")
	require.NoError(t, err)
	require.Contains(t, out, "updated 19 advisories in 1 ecosystem into")
	require.Contains(t, errOut, "Debian")

	_, _, err = runDB(t, "update", "--db-dir", dir, "--source", srv.URL, "--ecosystem", "Go", "--no-progress")
	require.ErrorIs(t, err, vulndb.ErrDownload)
	require.Contains(t, err.Error(), "404")
	out, _, err = runDB(t, "status", "--db-dir", dir)
	require.NoError(t, err)
	require.Contains(t, out, srv.URL+"/Debian/all.zip")
}

func zipRecords(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		w, err := zw.Create(filepath.Base(f))
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestDBImportFromURL(t *testing.T) {
	archive := zipRecords(t, realVulnDB(t, "debian-12-osv"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/Debian/all.zip":
			w.Write(archive)
		case "/v3.11/main.json":
			http.ServeFile(w, r, filepath.Join(realVulnDB(t, "alpine-secdb"), "v3.11", "main.json"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()

	out, _, err := runDB(t, "import", "--db-dir", dir, srv.URL+"/Debian/all.zip", srv.URL+"/v3.11/main.json")
	require.NoError(t, err)
	require.Contains(t, out, "in 2 ecosystems")
	out, _, err = runDB(t, "status", "--db-dir", dir)
	require.NoError(t, err)
	require.Contains(t, out, srv.URL+"/Debian/all.zip")
	require.Contains(t, out, "Alpine:v3.11")

	_, _, err = runDB(t, "import", "--db-dir", dir, srv.URL+"/missing/all.zip")
	require.ErrorIs(t, err, vulndb.ErrDownload)
}
