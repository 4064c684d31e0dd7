package pkgdb

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite generated testdata (the SQLite fixture needs sqlite3)")

const sqliteFixture = "testdata/rpm/rpmdb.sqlite"

// sqliteFillers is how many small packages the SQLite fixture holds beside
// the test headers, enough for a table B-tree with interior pages.
const sqliteFillers = 300

func fillerHeader(i int) []byte {
	return rpmHeaderBlob(rpmStr(rpmTagName, fmt.Sprintf("filler-%03d", i)),
		rpmStr(rpmTagVersion, "1.0"), rpmStr(rpmTagRelease, "1"), rpmStr(rpmTagArch, "noarch"))
}

// TestWriteSQLiteFixture regenerates the rpmdb.sqlite fixture with the
// sqlite3 program when run with -update, using rpm's own table layout.
func TestWriteSQLiteFixture(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate " + sqliteFixture)
	}
	var sql strings.Builder
	sql.WriteString("PRAGMA page_size=4096;\n")
	sql.WriteString("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL);\n")
	blobs := testRPMHeaders()
	for i := range sqliteFillers {
		blobs = append(blobs, fillerHeader(i))
	}
	for _, b := range blobs {
		fmt.Fprintf(&sql, "INSERT INTO Packages (blob) VALUES (X'%s');\n", hex.EncodeToString(b))
	}
	require.NoError(t, os.MkdirAll(filepath.Dir(sqliteFixture), 0o755))
	os.Remove(sqliteFixture)
	cmd := exec.Command("sqlite3", sqliteFixture)
	cmd.Stdin = strings.NewReader(sql.String())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

var wantRPM = []Package{
	{Name: "bash", Version: "4.4.20-4.el8_6", Type: "rpm", Arch: "x86_64",
		Licenses:   []string{"GPLv3+" + strings.Repeat(" ", 9000)},
		SourceName: "bash", SourceVersion: "4.4.20-4.el8_6"},
	{Name: "openssl-libs", Version: "1:1.1.1k-7.el8_6", Type: "rpm", Arch: "x86_64",
		Licenses: []string{"OpenSSL and ASL 2.0"}, SourceName: "openssl", SourceVersion: "1:1.1.1k-7.el8_6"},
}

func TestParseRPMDB(t *testing.T) {
	sqlite, err := os.ReadFile(sqliteFixture)
	require.NoError(t, err)
	headers := testRPMHeaders()

	tests := []struct {
		name string
		file string
		data []byte
		want int // packages beyond wantRPM
	}{
		{name: "berkeley db 4096", file: "Packages", data: berkeleyDB(4096, headers)},
		{name: "berkeley db 512", file: "Packages", data: berkeleyDB(512, headers)},
		{name: "ndb", file: "Packages.db", data: ndbDB(headers)},
		{name: "sqlite", file: "rpmdb.sqlite", data: sqlite, want: sqliteFillers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRPMDB(tt.file, bytes.NewReader(tt.data), int64(len(tt.data)))
			require.NoError(t, err)
			require.Len(t, got, len(wantRPM)+tt.want)
			if diff := cmp.Diff(wantRPM, got[:len(wantRPM)]); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			if tt.want > 0 {
				require.Equal(t, fmt.Sprintf("filler-%03d", tt.want-1), got[len(got)-1].Name)
			}
		})
	}
}

// TestParseRPMDBFromRPM reads an rpmdb.sqlite that rpm 4.18 wrote itself
// (testdata/rpm/generate-rpm-sqlite.sh); its rpm -qa output is below.
func TestParseRPMDBFromRPM(t *testing.T) {
	data := readTestdata(t, "rpm/rpm-sqlite/rpmdb.sqlite")
	got, err := ParseRPMDB("rpmdb.sqlite", bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	want := []Package{ // in header number order, the order rpm installed them
		{Name: "tilde", Version: "3:2.0~rc1-1.el9", Type: "rpm", Arch: "noarch",
			Licenses: []string{"GPL-2.0-or-later AND MIT"}, SourceName: "tilde", SourceVersion: "3:2.0~rc1-1.el9"},
		{Name: "hello", Version: "1.2.3-4.el9", Type: "rpm", Arch: "noarch", Licenses: []string{"MIT"},
			SourceName: "hello", SourceVersion: "1.2.3-4.el9"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-rpm -qa +catalog):\n%s", diff)
	}
}

// sqliteLoop returns the SQLite fixture with the right-most child of the
// Packages table's root page pointing back at the root.
func sqliteLoop(t *testing.T) []byte {
	data := bytes.Clone(readTestdata(t, "rpm/rpmdb.sqlite"))
	db, err := openSQLite(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	root, err := db.tableRoot("Packages")
	require.NoError(t, err)
	page := int(root-1) * db.pageSize
	require.Equal(t, byte(sqliteInteriorTable), data[page], "the fixture's Packages root must be an interior page")
	binary.BigEndian.PutUint32(data[page+8:], root)
	return data
}

func TestParseRPMDBErrors(t *testing.T) {
	headers := testRPMHeaders()
	bdb := berkeleyDB(512, headers)
	loop := bytes.Clone(bdb)
	// Point the first overflow page back at itself.
	copy(loop[2*512+16:], []byte{2, 0, 0, 0})
	tests := []struct {
		name    string
		file    string
		data    []byte
		wantErr string
	}{
		{name: "empty sqlite", file: "rpmdb.sqlite", data: nil, wantErr: "reading SQLite header"},
		{name: "not sqlite", file: "rpmdb.sqlite", data: bytes.Repeat([]byte("x"), 200), wantErr: "not an SQLite 3 database"},
		{name: "bad bdb magic", file: "Packages", data: make([]byte, 4096), wantErr: "not a Berkeley DB hash database"},
		{name: "bdb overflow loop", file: "Packages", data: loop, wantErr: "loops at page 2"},
		{name: "sqlite b-tree loop", file: "rpmdb.sqlite", data: sqliteLoop(t), wantErr: "too deep or loops"},
		{name: "truncated ndb", file: "Packages.db", data: ndbDB(headers)[:4200], wantErr: "outside the file"},
		{name: "unknown file", file: "Other", data: nil, wantErr: "unknown rpm database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRPMDB(tt.file, bytes.NewReader(tt.data), int64(len(tt.data)))
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestSplitSourceRPM(t *testing.T) {
	tests := []struct{ in, name, version string }{
		{"bash-4.4.20-4.el8_6.src.rpm", "bash", "4.4.20-4.el8_6"},
		{"python3-pip-21.2.3-7.el9.nosrc.rpm", "python3-pip", "21.2.3-7.el9"},
		{"(none)", "", ""},
		{"x-1.src.rpm", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			name, version, _ := splitSourceRPM(tt.in)
			require.Equal(t, tt.name, name)
			require.Equal(t, tt.version, version)
		})
	}
}

func FuzzParseRPMDB(f *testing.F) {
	headers := testRPMHeaders()
	f.Add("Packages", berkeleyDB(512, headers))
	f.Add("Packages.db", ndbDB(headers))
	if data, err := os.ReadFile(sqliteFixture); err == nil {
		f.Add("rpmdb.sqlite", data[:min(len(data), 64<<10)])
	}
	if data, err := os.ReadFile("testdata/rpm/rpm-sqlite/rpmdb.sqlite"); err == nil {
		f.Add("rpmdb.sqlite", data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		for _, file := range []string{"Packages", "Packages.db", "rpmdb.sqlite"} {
			ParseRPMDB(file, bytes.NewReader(data), int64(len(data)))
		}
	})
}

func FuzzRPMHeader(f *testing.F) {
	for _, h := range testRPMHeaders() {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, blob []byte) {
		rpmPackage(blob)
	})
}
