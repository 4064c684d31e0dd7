package vulndb

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// zipDir packs the JSON files of a folder into an OSV-style all.zip.
func zipDir(t testing.TB, dir string, limit int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if limit > 0 && len(files) > limit {
		files = files[:limit]
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(filepath.Base(f))
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	archivesOnce sync.Once
	goArchive    []byte
	goSmall      []byte
	debArchive   []byte
)

// realArchives returns all.zip archives of the real Go records, of their
// first 300 records, and of the Debian records.
func realArchives(t testing.TB) (goZip, goSmallZip, debianZip []byte) {
	archivesOnce.Do(func() {
		goArchive = zipDir(t, sharedVulnDB(t, "go-osv"), 0)
		goSmall = zipDir(t, sharedVulnDB(t, "go-osv"), 300)
		debArchive = zipDir(t, sharedVulnDB(t, "debian-12-osv"), 0)
	})
	return goArchive, goSmall, debArchive
}

// osvServer serves archives like OSV's export bucket: /ECOSYSTEM/all.zip
// with Content-Length and an x-goog-hash MD5. tamper may change a response.
func osvServer(t *testing.T, archives map[string][]byte, tamper func(w http.ResponseWriter, body []byte) bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		eco, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/all.zip")
		body, found := archives[eco]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		sum := md5.Sum(body)
		w.Header().Set("x-goog-hash", "crc32c=AAAAAA==,md5="+base64.StdEncoding.EncodeToString(sum[:]))
		if tamper != nil && tamper(w, body) {
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestUpdateFromLoopbackMirror(t *testing.T) {
	goZip, _, debZip := realArchives(t)
	srv := osvServer(t, map[string][]byte{"Go": goZip, "Debian": debZip}, nil)
	dir := t.TempDir()
	var progress bytes.Buffer
	info, problems, err := Update(context.Background(), dir, UpdateOptions{
		Source: srv.URL, Ecosystems: []string{"Go", "Debian"}, Progress: &progress,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
	if info.Ecosystems["Go"] != 4771 || info.Ecosystems["Debian:12"] != 19 || info.Withdrawn != 18 {
		t.Errorf("info = %+v, want 4771 Go and 19 Debian:12 advisories, 18 withdrawn", info)
	}
	if !strings.Contains(progress.String(), "100%") {
		t.Errorf("progress output %q has no completed bar", progress.String())
	}
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.Info().Sources; len(got) != 2 || got[0] != srv.URL+"/Go/all.zip" {
		t.Errorf("sources = %v, want the two archive URLs", got)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestUpdateFailureKeepsDatabase(t *testing.T) {
	_, goZip, debZip := realArchives(t)
	tests := []struct {
		name    string
		tamper  func(w http.ResponseWriter, body []byte) bool
		archive []byte
		wantErr error
	}{
		{"checksum mismatch", func(w http.ResponseWriter, body []byte) bool {
			w.Header().Set("x-goog-hash", "md5="+base64.StdEncoding.EncodeToString(make([]byte, 16)))
			return false
		}, debZip, ErrDownload},
		{"truncated body", func(w http.ResponseWriter, body []byte) bool {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body[:len(body)/2])
			return true
		}, debZip, ErrDownload},
		{"server error", func(w http.ResponseWriter, body []byte) bool {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return true
		}, debZip, ErrDownload},
		{"corrupt archive", nil, []byte("this is not a zip archive"), ErrCorruptArchive},
		{"archive with bad checksum inside", nil, corruptMember(t, debZip), ErrCorruptArchive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			good := osvServer(t, map[string][]byte{"Go": goZip}, nil)
			before, _, err := Update(context.Background(), dir, UpdateOptions{Source: good.URL, Ecosystems: []string{"Go"}})
			if err != nil {
				t.Fatal(err)
			}
			bad := osvServer(t, map[string][]byte{"Go": goZip, "Debian": tc.archive}, tc.tamper)
			_, _, err = Update(context.Background(), dir, UpdateOptions{Source: bad.URL, Ecosystems: []string{"Go", "Debian"}})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Update error = %v, want %v", err, tc.wantErr)
			}
			db, err := Open(dir)
			if err != nil {
				t.Fatalf("old database unreadable after failed update: %v", err)
			}
			defer db.Close()
			if !db.Info().Built.Equal(before.Built) || db.Info().Ecosystems["Go"] != before.Ecosystems["Go"] {
				t.Errorf("database changed by a failed update: %+v", db.Info())
			}
		})
	}
}

// corruptMember flips a byte inside the first compressed member, so the
// archive opens but a record fails its CRC-32 check.
func corruptMember(t *testing.T, archive []byte) []byte {
	t.Helper()
	out := bytes.Clone(archive)
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	off, err := zr.File[0].DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	out[off+5] ^= 0xff
	return out
}

func TestUpdateCancelled(t *testing.T) {
	goZip, _, _ := realArchives(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	srv := osvServer(t, map[string][]byte{"Go": goZip}, func(w http.ResponseWriter, body []byte) bool {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:1000])
		w.(http.Flusher).Flush()
		cancel()
		time.Sleep(200 * time.Millisecond)
		return true
	})
	_, _, err := Update(ctx, dir, UpdateOptions{Source: srv.URL, Ecosystems: []string{"Go"}})
	if err == nil {
		t.Fatal("Update succeeded after cancellation")
	}
	if _, err := Open(dir); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("Open after cancelled first update = %v, want ErrNoDatabase", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}
