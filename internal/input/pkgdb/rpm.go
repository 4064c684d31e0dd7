package pkgdb

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"

	"github.com/dockward/dockward/internal/input/image"
)

// rpmDirs are the directories of rpm databases: the traditional one and
// the one of newer Fedora and openSUSE releases.
var rpmDirs = []string{"/var/lib/rpm", "/usr/lib/sysimage/rpm"}

func matchRPM(p string, _ fs.FileMode, _ int64) bool {
	switch path.Base(p) {
	case "Packages", "Packages.db", "rpmdb.sqlite":
		dir := path.Dir(p)
		return dir == rpmDirs[0] || dir == rpmDirs[1]
	}
	return false
}

func parseRPMEntry(_ *scan, e *image.Entry) ([]Package, error) {
	r, size, err := openEntry(e)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return ParseRPMDB(path.Base(e.Path), r, size)
}

// ParseRPMDB lists the packages of an rpm database. The format follows the
// file name: rpmdb.sqlite (SQLite), Packages.db (NDB) or Packages
// (Berkeley DB hash).
func ParseRPMDB(name string, r io.ReaderAt, size int64) ([]Package, error) {
	var (
		blobs [][]byte
		err   error
	)
	switch name {
	case "rpmdb.sqlite":
		blobs, err = readRPMSQLite(r, size)
	case "Packages.db":
		blobs, err = readNDB(r, size)
	case "Packages":
		blobs, err = readBerkeleyDB(r, size)
	default:
		return nil, fmt.Errorf("unknown rpm database %q", name)
	}

	errs := []error{err}
	var pkgs []Package
	for i, b := range blobs {
		p, err := rpmPackage(b)
		if errors.Is(err, errRPMPseudo) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("header %d: %w", i, err))
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, errors.Join(errs...)
}

func readRPMSQLite(r io.ReaderAt, size int64) ([][]byte, error) {
	db, err := openSQLite(r, size)
	if err != nil {
		return nil, err
	}
	root, err := db.tableRoot("Packages")
	if err != nil {
		return nil, err
	}
	var blobs [][]byte
	err = db.scanTable(root, func(_ int64, rec []sqliteValue) error {
		for _, v := range rec {
			if v.blob != nil {
				blobs = append(blobs, v.blob)
				break
			}
		}
		return nil
	})
	return blobs, err
}
