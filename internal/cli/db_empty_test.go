package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDBImportEmptyKeepsDatabase checks that importing a path with no
// advisories leaves an existing database alone instead of emptying it.
func TestDBImportEmptyKeepsDatabase(t *testing.T) {
	db := t.TempDir()
	records := t.TempDir()
	record := `{"id": "GO-2099-0001", "modified": "2099-01-01T00:00:00Z", "affected": [{"package": ` +
		`{"ecosystem": "Go", "name": "example.com/m"}, "ranges": [{"type": "SEMVER", "events": ` +
		`[{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}`
	if err := os.WriteFile(filepath.Join(records, "GO-2099-0001.json"), []byte(record), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "", "db", "import", "--db-dir", db, records); code != 0 {
		t.Fatalf("first import: exit %d, %s", code, stderr)
	}
	_, stderr, code := run(t, "", "db", "import", "--db-dir", db, t.TempDir())
	if code != 2 || !strings.Contains(stderr, "no advisories found") {
		t.Errorf("empty import: exit %d, stderr %q", code, stderr)
	}
	out, _, code := run(t, "", "db", "status", "--db-dir", db)
	if code != 0 || !strings.Contains(out, "Go") {
		t.Errorf("database lost its advisories: exit %d\n%s", code, out)
	}
}
