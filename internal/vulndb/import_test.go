package vulndb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/vulndb/version"
)

func TestImportRealGoDatabase(t *testing.T) {
	b := NewBuilder()
	if err := b.Import(context.Background(), sharedVulnDB(t, "go-osv")); err != nil {
		t.Fatal(err)
	}
	info, err := b.Write(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if info.Ecosystems["Go"] != 4771 || info.Withdrawn != 18 || info.Malformed != 0 {
		t.Errorf("info = %+v, want 4771 Go advisories, 18 withdrawn, none malformed", info)
	}
	if len(b.Problems()) != 0 {
		t.Errorf("problems: %v", b.Problems())
	}
}

func TestImportMalformedRecords(t *testing.T) {
	b := NewBuilder()
	for _, dir := range []string{"testdata/osv", "testdata/malformed"} {
		if err := b.Import(context.Background(), dir); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, p := range b.Problems() {
		got = append(got, filepath.Base(p.Path))
		if p.Kind != "decode" || p.Reason == "" {
			t.Errorf("problem %+v: want kind decode and a reason", p)
		}
	}
	want := []string{"no-id.json", "no-package-name.json", "truncated.json", "two-fields-in-event.json",
		"unknown-range-type.json", "wrong-type.json"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problem files (-want +got):\n%s", diff)
	}
	info, err := b.Write(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wantEco := map[string]int{"Go": 1, "Debian:12": 1, "crates.io": 1, "Bitnami": 1}
	if diff := cmp.Diff(wantEco, info.Ecosystems); diff != "" {
		t.Errorf("ecosystems (-want +got):\n%s", diff)
	}
	if info.Malformed != len(want) {
		t.Errorf("malformed = %d, want %d", info.Malformed, len(want))
	}
}

func TestImportUnknownEcosystemNotMatched(t *testing.T) {
	b := NewBuilder()
	if err := b.Import(context.Background(), "testdata/osv"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := b.Write(dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.Lookup("Bitnami", "nginx")
	if err != nil || len(entries) != 1 {
		t.Fatalf("Lookup(Bitnami, nginx) = %v, %v; want the kept advisory", entries, err)
	}
	inv := &pkgdb.Inventory{Packages: []pkgdb.Package{{Name: "nginx", Version: "1.24.0", Ecosystem: "Bitnami"}}}
	fs, problems := Match(context.Background(), db, inv)
	if len(fs) != 0 {
		t.Errorf("findings for an unknown ecosystem: %v", ids(fs))
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Reason, `"Bitnami"`) {
		t.Errorf("problems = %v, want one naming the ecosystem", problems)
	}
}

func TestImportCorruptArchive(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "all.zip")
	if err := os.WriteFile(path, []byte("PK\x03\x04 not really a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := NewBuilder().Import(context.Background(), path)
	if !errors.Is(err, ErrCorruptArchive) || !strings.Contains(err.Error(), path) {
		t.Errorf("Import error = %v, want ErrCorruptArchive naming %s", err, path)
	}
}

func TestImportSecDB(t *testing.T) {
	b := NewBuilder()
	if err := b.Import(context.Background(), filepath.Join(sharedVulnDB(t, "alpine-secdb"), "v3.11", "main.json")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	info, err := b.Write(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Ecosystems) != 1 || info.Ecosystems["Alpine:v3.11"] == 0 {
		t.Errorf("ecosystems = %v, want only Alpine:v3.11", info.Ecosystems)
	}
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.Lookup("Alpine:v3.11", "openssl")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		got[e.ID] = e.Ranges[0].Events[1].Fixed
	}
	want := map[string]string{
		"CVE-2019-1551": "1.1.1d-r3", "CVE-2019-1547": "1.1.1d-r1", "CVE-2019-1549": "1.1.1d-r1",
		"CVE-2019-1563": "1.1.1d-r1", "CVE-2019-1543": "1.1.1b-r1", "CVE-2018-0734": "1.1.1a-r0",
		"CVE-2018-0735": "1.1.1a-r0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("openssl advisories (-want +got):\n%s", diff)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Run("no database", func(t *testing.T) {
		_, err := Open(t.TempDir())
		if !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), "dockward db update") {
			t.Errorf("Open error = %v, want ErrNoDatabase naming dockward db update", err)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		dir := t.TempDir()
		b := NewBuilder()
		if _, err := b.Write(dir, time.Now()); err != nil {
			t.Fatal(err)
		}
		setSchema(t, filepath.Join(dir, FileName), SchemaVersion+1)
		_, err := Open(dir)
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "upgrade dockward") {
			t.Errorf("Open error = %v, want ErrNewerSchema telling to upgrade", err)
		}
	})
	t.Run("not a database", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(dir)
		if err == nil || !strings.Contains(err.Error(), "dockward db update") {
			t.Errorf("Open error = %v, want one telling to rebuild", err)
		}
	})
}

func setSchema(t *testing.T, path string, v int) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(v)))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeOSV(f *testing.F) {
	for _, dir := range []string{"testdata/osv", "testdata/malformed"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b := NewBuilder()
		b.addJSON("fuzz.json", data)
		if len(b.Problems()) > 1 {
			t.Fatalf("one document gave %d problems", len(b.Problems()))
		}
		r, err := DecodeOSV(data)
		if err != nil {
			return
		}
		for i := range r.Affected {
			e := &Entry{Ranges: r.Affected[i].Ranges, Versions: r.Affected[i].Versions}
			if s, ok := version.ForEcosystem(r.Affected[i].Package.Ecosystem); ok {
				_, _, _ = affects(e, newComparers(s), "1.0.0")
			}
		}
		_ = rate(&Entry{Severity: r.Severity})
	})
}
