package vulndb

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/dockward/dockward/internal/input/pkgdb"
)

// BenchmarkImportGoDatabase imports the 4,789 records of the Go
// vulnerability database from a directory and writes the database file.
func BenchmarkImportGoDatabase(b *testing.B) {
	src := sharedVulnDB(b, "go-osv")
	start := cpuTime()
	n := 0
	for b.Loop() {
		bd := NewBuilder()
		if err := bd.Import(context.Background(), src); err != nil {
			b.Fatal(err)
		}
		if _, err := bd.Write(b.TempDir(), time.Now()); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(n), "cpu-ms/op")
}

// benchInventory returns 1,000 packages with advisories: Go modules, PyPI,
// crates.io and Debian packages, spread over 20 Go binaries whose
// toolchain adds stdlib. Every vulnerableEvery-th package is at an old
// version that most advisories cover; the others are at a version above
// every fix. The binaries are built with go1.22.3 when every package is
// vulnerable and with go1.26.8 otherwise.
func benchInventory(b *testing.B, db *DB, vulnerableEvery int) *pkgdb.Inventory {
	b.Helper()
	versions := map[string][]string{
		"Go": {"v0.1.0", "v1.2.3", "v0.0.0-20200101000000-abcdefabcdef"}, "PyPI": {"1.0", "2.3.1"},
		"crates.io": {"0.1.0", "1.2.3"}, "Debian:12": {"1.0-1", "5.36.0-7+deb12u1"},
	}
	goVersion := "go1.26.8"
	if vulnerableEvery == 1 {
		goVersion = "go1.22.3"
	}
	current := map[string]string{"Go": "v99.0.0", "PyPI": "99.0", "crates.io": "99.0.0", "Debian:12": "99.0-1"}
	inv := &pkgdb.Inventory{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPackages).Cursor()
		i := 0
		// Take every third key so that all ecosystems are represented.
		for k, _ := c.First(); k != nil && len(inv.Packages) < 1000; k, _ = c.Next() {
			i++
			eco, name, _ := bytes.Cut(k, []byte{0})
			vs, ok := versions[string(eco)]
			if !ok || i%3 != 0 {
				continue
			}
			v := vs[i%len(vs)]
			if len(inv.Packages)%vulnerableEvery != 0 {
				v = current[string(eco)]
			}
			inv.Packages = append(inv.Packages, pkgdb.Package{Name: string(name), Version: v,
				Ecosystem: string(eco), Path: fmt.Sprintf("/bin/app%d", i%20), GoVersion: goVersion})
		}
		return nil
	})
	if err != nil || len(inv.Packages) != 1000 {
		b.Fatalf("inventory of %d packages: %v", len(inv.Packages), err)
	}
	return inv
}

// BenchmarkOpenAndMatch1000 opens the database built from every real
// record folder and matches 1,000 packages, of which every tenth is
// vulnerable (typical) or all are (worst case).
func BenchmarkOpenAndMatch1000(b *testing.B) {
	for _, tc := range []struct {
		name  string
		every int
	}{{"typical", 10}, {"all-vulnerable", 1}} {
		b.Run(tc.name, func(b *testing.B) { benchOpenAndMatch(b, tc.every) })
	}
}

func benchOpenAndMatch(b *testing.B, vulnerableEvery int) {
	inv := benchInventory(b, realDB(b), vulnerableEvery)
	runtime.GC()
	start := cpuTime()
	n := 0
	for b.Loop() {
		db, err := Open(realDir)
		if err != nil {
			b.Fatal(err)
		}
		fs, _ := Match(context.Background(), db, inv)
		if len(fs) == 0 {
			b.Fatal("no findings")
		}
		db.Close()
		n++
		b.ReportMetric(float64(len(fs)), "findings")
	}
	// The machine is shared, so CPU time per operation is reported next
	// to wall time.
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(n), "cpu-ms/op")
}

// cpuTime returns the user and system CPU time of the process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkOpenJSONSnapshot measures the alternative to bbolt that
// docs/vulndb.md compares it with: one gzip-compressed JSON file of every
// entry, decoded whole at start-up.
func BenchmarkOpenJSONSnapshot(b *testing.B) {
	bd := NewBuilder()
	for _, s := range []string{"go-osv", "pypa-osv", "rustsec-osv", "debian-12-osv", "alpine-secdb"} {
		if err := bd.Import(context.Background(), sharedVulnDB(b, s)); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "snapshot.json.gz")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if err := json.NewEncoder(zw).Encode(bd.packages); err != nil {
		b.Fatal(err)
	}
	zw.Close()
	f.Close()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		var m map[string]map[string]*Entry
		if err := json.NewDecoder(zr).Decode(&m); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "MiB")
	}
}

// BenchmarkLookup measures one package lookup in an open database.
func BenchmarkLookup(b *testing.B) {
	db := realDB(b)
	for b.Loop() {
		if _, err := db.Lookup("Go", "golang.org/x/net"); err != nil {
			b.Fatal(err)
		}
	}
	if st, err := os.Stat(db.Path()); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "MiB")
	}
}
