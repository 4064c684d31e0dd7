package pkgdb

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/dockward/dockward/internal/input/image"
)

// maxDirContent caps the content a directory tree keeps in memory per file.
const maxDirContent = maxManifestSize

// DirTree is an image.Tree over a root file system directory, such as an
// unpacked image or a debootstrap result. Entries have layer index -1 and
// no digest, as files outside images do. Requested contents are read into memory; files requested for
// spilling are not copied, and SpillPath names the file in the directory.
type DirTree struct {
	root    string
	entries []*image.Entry
	byPath  map[string]*image.Entry
}

// OpenDir walks dir and reads the files that req asks for. Symbolic links
// are recorded, never followed during the walk, and Resolve keeps them
// inside dir.
func OpenDir(dir string, req image.Request) (*DirTree, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	t := &DirTree{root: root, byPath: make(map[string]*image.Entry)}
	err = filepath.WalkDir(root, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable directories are left out
		}
		rel, _ := filepath.Rel(root, full)
		p := path.Clean("/" + filepath.ToSlash(rel))
		info, err := d.Info()
		if err != nil {
			return nil
		}
		e := &image.Entry{Path: p, Mode: info.Mode(), Size: info.Size(), ModTime: info.ModTime(),
			LayerIndex: -1}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			e.UID, e.GID = int(st.Uid), int(st.Gid)
		}
		if e.Mode&fs.ModeSymlink != 0 {
			e.Linkname, _ = os.Readlink(full)
		}
		if e.Mode.IsRegular() && req != nil {
			t.load(e, full, req(p, e.Mode, e.Size))
		}
		t.entries = append(t.entries, e)
		t.byPath[p] = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walking %q: %w", dir, err)
	}
	slices.SortFunc(t.entries, func(a, b *image.Entry) int { return strings.Compare(a.Path, b.Path) })
	return t, nil
}

func (t *DirTree) load(e *image.Entry, full string, want image.Want) {
	switch want {
	case image.WantContent:
		if e.Size > maxDirContent {
			e.Truncated = true
			return
		}
		data, err := os.ReadFile(full)
		if err == nil {
			e.Content = data
		}
	case image.WantSpill:
		e.SpillPath = full
	}
}

// Lookup returns the entry at p without following a final link.
func (t *DirTree) Lookup(p string) (*image.Entry, bool) {
	e, ok := t.byPath[path.Clean("/"+p)]
	return e, ok
}

// Resolve follows symbolic links in every component of p, treating the
// directory as the root, for at most 40 links.
func (t *DirTree) Resolve(p string) (*image.Entry, bool) {
	return resolveIn(t.byPath, p)
}

// resolveIn resolves p in a path-indexed tree the way the kernel would
// inside a chroot.
func resolveIn(byPath map[string]*image.Entry, p string) (*image.Entry, bool) {
	const maxLinks = 40
	links := 0
	pending := strings.Split(strings.Trim(path.Clean("/"+p), "/"), "/")
	cur := "/"
	for len(pending) > 0 {
		name := pending[0]
		pending = pending[1:]
		if name == "" || name == "." {
			continue
		}
		next := path.Join(cur, name)
		e, ok := byPath[next]
		if !ok {
			return nil, false
		}
		if e.Mode&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		links++
		if links > maxLinks {
			return nil, false
		}
		target := e.Linkname
		if !strings.HasPrefix(target, "/") {
			target = path.Join(cur, target)
		}
		rest := strings.Split(strings.Trim(path.Clean(target), "/"), "/")
		pending = append(rest, pending...)
		cur = "/"
	}
	if cur == "/" {
		return nil, false
	}
	e, ok := byPath[cur]
	return e, ok
}

// Entries returns every entry sorted by path.
func (t *DirTree) Entries() []*image.Entry { return t.entries }

// Removed returns nothing: a directory has no layers.
func (t *DirTree) Removed() []*image.Entry { return nil }

// FS returns the directory as an fs.FS.
func (t *DirTree) FS() fs.FS { return os.DirFS(t.root) }

// Close does nothing: a directory tree spills no files.
func (t *DirTree) Close() error { return nil }

var _ image.Tree = (*DirTree)(nil)
