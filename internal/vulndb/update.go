package vulndb

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dockward/dockward/internal/finding"
)

// DefaultSource is the base URL of OSV's public export, which serves
// SOURCE/ECOSYSTEM/all.zip for every ecosystem.
const DefaultSource = "https://osv-vulnerabilities.storage.googleapis.com"

// DefaultEcosystems are the ecosystems `db update` downloads when none are
// configured: the distributions and languages that dockward catalogues.
var DefaultEcosystems = []string{
	"Alpine", "Debian", "Ubuntu", "Go", "PyPI", "npm", "crates.io", "Maven", "RubyGems", "Packagist", "NuGet",
}

// ErrDownload is wrapped by errors of a download that failed or whose
// size or checksum did not match.
var ErrDownload = errors.New("download failed")

// UpdateOptions configure Update.
type UpdateOptions struct {
	// Source is the base URL; empty means DefaultSource.
	Source string
	// Ecosystems to download; empty means DefaultEcosystems.
	Ecosystems []string
	// Client makes the requests; nil means a client with a 10 minute
	// timeout per archive.
	Client *http.Client
	// Progress receives a progress bar; nil means none.
	Progress io.Writer
	// Now stamps the database; zero means time.Now.
	Now    time.Time
	Logger *slog.Logger
}

// Update downloads SOURCE/ECOSYSTEM/all.zip for every ecosystem and
// replaces the database in dir with one built from them. Every archive is
// downloaded and checked before the database is touched, and the new
// database is renamed into place, so a failed or interrupted update keeps
// the old database.
func Update(ctx context.Context, dir string, opts UpdateOptions) (Info, []finding.Problem, error) {
	if opts.Source == "" {
		opts.Source = DefaultSource
	}
	if len(opts.Ecosystems) == 0 {
		opts.Ecosystems = DefaultEcosystems
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Minute}
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Info{}, nil, fmt.Errorf("creating database directory: %w", err)
	}
	removeLeftovers(dir, opts.Logger)
	tmp, err := os.MkdirTemp(dir, ".download-")
	if err != nil {
		return Info{}, nil, fmt.Errorf("creating download directory: %w", err)
	}
	defer os.RemoveAll(tmp)

	b := NewBuilder()
	for _, eco := range opts.Ecosystems {
		u := strings.TrimSuffix(opts.Source, "/") + "/" + url.PathEscape(eco) + "/all.zip"
		path := filepath.Join(tmp, safeName(eco)+".zip")
		if err := Download(ctx, opts.Client, u, path, opts.Progress); err != nil {
			return Info{}, nil, err
		}
		opts.Logger.Debug("downloaded archive", slog.String("url", u))
		if err := b.ImportZip(ctx, path); err != nil {
			return Info{}, nil, err
		}
		b.sources = append(b.sources, u)
	}
	info, err := b.Write(dir, opts.Now)
	return info, b.Problems(), err
}

// safeName turns an ecosystem name into a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

// removeLeftovers deletes temporary files that an interrupted update or
// import left in dir.
func removeLeftovers(dir string, logger *slog.Logger) {
	for _, pattern := range []string{".download-*", ".vulndb-*.tmp"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			if info, err := os.Stat(m); err == nil && time.Since(info.ModTime()) > time.Hour {
				logger.Debug("removing leftover of an interrupted update", slog.String("path", m))
				os.RemoveAll(m)
			}
		}
	}
}

// Download fetches url into path. It checks the length against
// Content-Length and the MD5 digest against Content-MD5 or Google Cloud
// Storage's x-goog-hash header when the server sends them, and removes the
// file on any failure.
func Download(ctx context.Context, client *http.Client, rawURL, path string, progress io.Writer) (err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrDownload, rawURL, err)
	}
	req.Header.Set("User-Agent", "dockward")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDownload, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s: %s; check --source and the ecosystem name", ErrDownload, rawURL, resp.Status)
	}

	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("writing %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()

	sum := md5.New()
	var w io.Writer = io.MultiWriter(f, sum)
	if progress != nil {
		bar := newProgressBar(progress, label(rawURL), resp.ContentLength)
		defer bar.finish()
		w = io.MultiWriter(w, bar)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrDownload, rawURL, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("%w: %s: received %d bytes, expected %d", ErrDownload, rawURL, n, resp.ContentLength)
	}
	// A transparently decompressed body no longer has the stored object's
	// digest, so the check only applies to bodies received as sent.
	if want := expectedMD5(resp.Header); want != nil && !resp.Uncompressed && !bytes.Equal(want, sum.Sum(nil)) {
		return fmt.Errorf("%w: %s: MD5 checksum mismatch", ErrDownload, rawURL)
	}
	return f.Sync()
}

// expectedMD5 reads the MD5 digest from Content-MD5 or from the "md5="
// entry of x-goog-hash; both are base64.
func expectedMD5(h http.Header) []byte {
	candidates := []string{h.Get("Content-MD5")}
	for _, v := range h.Values("X-Goog-Hash") {
		for _, part := range strings.Split(v, ",") {
			if s, ok := strings.CutPrefix(strings.TrimSpace(part), "md5="); ok {
				candidates = append(candidates, s)
			}
		}
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if b, err := base64.StdEncoding.DecodeString(c); err == nil && len(b) == md5.Size {
			return b
		}
	}
	return nil
}

// label names a download in the progress bar: the ecosystem of an OSV
// archive URL, or the file name.
func label(rawURL string) string {
	parts := strings.Split(strings.TrimSuffix(rawURL, "/all.zip"), "/")
	s, err := url.PathUnescape(parts[len(parts)-1])
	if err != nil {
		return parts[len(parts)-1]
	}
	return s
}

// ImportURL downloads a zip archive or JSON record and imports it.
func (b *Builder) ImportURL(ctx context.Context, client *http.Client, rawURL string, progress io.Writer) error {
	tmp, err := os.MkdirTemp("", "dockward-import-")
	if err != nil {
		return fmt.Errorf("creating download directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	name := "download.zip"
	if strings.HasSuffix(strings.ToLower(rawURL), ".json") {
		name = "download.json"
	}
	path := filepath.Join(tmp, name)
	if err := Download(ctx, client, rawURL, path, progress); err != nil {
		return err
	}
	if err := b.Import(ctx, path); err != nil {
		return err
	}
	b.sources[len(b.sources)-1] = rawURL
	return nil
}
