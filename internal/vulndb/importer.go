package vulndb

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockward/dockward/internal/finding"
)

// maxRecordSize bounds one JSON record or secdb file read from a
// directory or archive; the largest real OSV records are a few MiB.
const maxRecordSize = 64 << 20

// Import adds the advisories at path: a directory of OSV JSON or Alpine
// secdb files (searched recursively, including .zip archives in it), an
// OSV all.zip archive, or a single JSON file. Malformed records become
// problems; an unreadable path or a corrupt archive is an error.
func (b *Builder) Import(ctx context.Context, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("importing %s: %w", path, err)
	}
	if abs, err := filepath.Abs(path); err == nil {
		b.sources = append(b.sources, abs)
	} else {
		b.sources = append(b.sources, path)
	}
	if info.IsDir() {
		return b.importDir(ctx, path)
	}
	if isZip(path) {
		return b.ImportZip(ctx, path)
	}
	data, err := readLimited(path)
	if err != nil {
		return fmt.Errorf("importing %s: %w", path, err)
	}
	b.addJSON(path, data)
	return nil
}

func (b *Builder) importDir(ctx context.Context, root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("importing %s: %w", path, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return nil
		case isZip(path):
			return b.ImportZip(ctx, path)
		case strings.HasSuffix(path, ".json"):
			data, err := readLimited(path)
			if err != nil {
				b.problems = append(b.problems, readProblem(path, err))
				return nil
			}
			b.addJSON(path, data)
		}
		return nil
	})
}

func isZip(path string) bool { return strings.EqualFold(filepath.Ext(path), ".zip") }

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllLimited(f)
}

func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRecordSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRecordSize {
		return nil, errTooLarge
	}
	return data, nil
}

func readProblem(path string, err error) finding.Problem {
	return finding.Problem{Path: path, Kind: "read", Reason: err.Error() + "; record skipped"}
}

// addJSON adds one JSON document, which is either an Alpine secdb file or
// an OSV record.
func (b *Builder) addJSON(path string, data []byte) {
	if isSecDB(data) {
		b.AddSecDBData(path, data)
		return
	}
	b.AddOSVData(path, data)
}

var errTooLarge = fmt.Errorf("record larger than %d MiB", maxRecordSize>>20)

// ErrCorruptArchive is wrapped by errors for archives that cannot be read.
var ErrCorruptArchive = errors.New("corrupt archive")

// ImportZip adds every JSON record of a zip archive, such as OSV's
// per-ecosystem all.zip.
func (b *Builder) ImportZip(ctx context.Context, path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%w %s: %v; fetch or copy the archive again", ErrCorruptArchive, path, err)
	}
	defer zr.Close()
	return b.importZipReader(ctx, path, &zr.Reader)
}

func (b *Builder) importZipReader(ctx context.Context, name string, zr *zip.Reader) error {
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.FileInfo().IsDir() || !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		member := name + "!" + f.Name
		data, err := readZipFile(f)
		if errors.Is(err, errTooLarge) {
			b.problems = append(b.problems, readProblem(member, err))
			continue
		}
		if err != nil {
			// A member that does not decompress or fails its CRC-32 check
			// means the archive is damaged; importing the rest would hide
			// missing advisories.
			return fmt.Errorf("%w %s: %v; fetch or copy the archive again", ErrCorruptArchive, member, err)
		}
		b.addJSON(member, data)
	}
	return nil
}

func readZipFile(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxRecordSize {
		return nil, errTooLarge
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readAllLimited(rc)
}
