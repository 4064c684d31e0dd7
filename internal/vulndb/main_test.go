package vulndb

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// sharedVulnDB returns a folder of the real OSV and secdb records kept
// beside the project (see ../shared/vulndb/README.md).
func sharedVulnDB(t testing.TB, sub string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "vulndb", sub))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var (
	realOnce sync.Once
	realDir  string
	realErr  error
)

// realDB opens a database imported from every real record folder. It is
// built once per test binary.
func realDB(t testing.TB) *DB {
	t.Helper()
	realOnce.Do(func() {
		realDir, realErr = buildReal(t)
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	db, err := Open(realDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func buildReal(t testing.TB) (string, error) {
	dir, err := tempDirOutsideTest()
	if err != nil {
		return "", err
	}
	b := NewBuilder()
	for _, s := range []string{"go-osv", "pypa-osv", "rustsec-osv", "debian-12-osv", "alpine-secdb"} {
		if err := b.Import(context.Background(), sharedVulnDB(t, s)); err != nil {
			return "", err
		}
	}
	_, err = b.Write(dir, time.Now())
	return dir, err
}
