package image

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// FS implements Tree. Opening a path follows symbolic links inside the
// image. Reading a file whose content was not requested fails with
// errNotRequested.
func (t *FileTree) FS() fs.FS { return treeFS{t} }

type treeFS struct{ t *FileTree }

func (f treeFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	n, err := f.t.walk("/"+name, true)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	info := entryInfo{e: n.entry, name: path.Base("/" + name)}
	if n.entry.Mode.IsDir() {
		return &treeDir{info: info, n: n}, nil
	}
	file := &treeFile{info: info}
	switch {
	case n.entry.Spilled():
		sr, err := n.entry.OpenSpilled()
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		file.r = sr
		file.closer = sr
	case n.entry.Content != nil || n.entry.Size == 0 && n.entry.want > WantNone:
		file.r = bytes.NewReader(n.entry.Content)
	}
	return file, nil
}

// ReadLink implements fs.ReadLinkFS.
func (f treeFS) ReadLink(name string) (string, error) {
	e, err := f.lstat("readlink", name)
	if err != nil {
		return "", err
	}
	if e.Mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return e.Linkname, nil
}

// Lstat implements fs.ReadLinkFS.
func (f treeFS) Lstat(name string) (fs.FileInfo, error) {
	e, err := f.lstat("lstat", name)
	if err != nil {
		return nil, err
	}
	return entryInfo{e: e, name: path.Base("/" + name)}, nil
}

func (f treeFS) lstat(op, name string) (*Entry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	n, err := f.t.walk("/"+name, false)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return n.entry, nil
}

type entryInfo struct {
	e    *Entry
	name string
}

func (i entryInfo) Name() string       { return i.name }
func (i entryInfo) Size() int64        { return i.e.Size }
func (i entryInfo) Mode() fs.FileMode  { return i.e.Mode }
func (i entryInfo) ModTime() time.Time { return i.e.ModTime }
func (i entryInfo) IsDir() bool        { return i.e.Mode.IsDir() }
func (i entryInfo) Sys() any           { return i.e }

type treeFile struct {
	info   entryInfo
	r      io.Reader
	closer io.Closer
}

func (f *treeFile) Stat() (fs.FileInfo, error) { return f.info, nil }

func (f *treeFile) Read(p []byte) (int, error) {
	if f.r == nil {
		return 0, &fs.PathError{Op: "read", Path: f.info.e.Path, Err: errNotRequested}
	}
	return f.r.Read(p)
}

// ReadAt lets archive readers such as archive/zip use a spilled file.
func (f *treeFile) ReadAt(p []byte, off int64) (int, error) {
	ra, ok := f.r.(io.ReaderAt)
	if !ok {
		return 0, &fs.PathError{Op: "read", Path: f.info.e.Path, Err: errNotRequested}
	}
	return ra.ReadAt(p, off)
}

func (f *treeFile) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

type treeDir struct {
	info entryInfo
	n    *node
	rest []fs.DirEntry
	read bool
}

func (d *treeDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *treeDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.e.Path, Err: fs.ErrInvalid}
}
func (d *treeDir) Close() error { return nil }

func (d *treeDir) ReadDir(count int) ([]fs.DirEntry, error) {
	if !d.read {
		d.read = true
		names := make([]string, 0, len(d.n.kids))
		for name := range d.n.kids {
			names = append(names, name)
		}
		slices.SortFunc(names, strings.Compare)
		for _, name := range names {
			d.rest = append(d.rest, fs.FileInfoToDirEntry(entryInfo{e: d.n.kids[name].entry, name: name}))
		}
	}
	if count <= 0 {
		out := d.rest
		d.rest = nil
		return out, nil
	}
	if len(d.rest) == 0 {
		return nil, io.EOF
	}
	n := min(count, len(d.rest))
	out := d.rest[:n]
	d.rest = d.rest[n:]
	return out, nil
}
