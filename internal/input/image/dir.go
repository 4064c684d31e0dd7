package image

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/dockward/dockward/internal/finding"
)

// ReadDir builds a tree from a root file system directory, such as one
// made by debootstrap. Entries have LayerIndex -1. Reads go through
// os.Root, so a symbolic link in the directory never leads outside it.
func ReadDir(ctx context.Context, dir string, opts Options) (*FileTree, []finding.Problem, error) {
	opts = opts.withDefaults()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("opening root file system %q: %w", dir, err)
	}
	defer root.Close()

	b := &budget{tempDir: opts.TempDir}
	r := &layerResult{index: -1, label: "directory " + dir}
	walkErr := fs.WalkDir(root.FS(), ".", func(rel string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			r.problem(opts.Name, "read", "%v", err)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			r.problem(opts.Name, "read", "%v", err)
			return nil
		}
		e := &Entry{Path: path.Clean("/" + rel), Mode: info.Mode(), Size: info.Size(),
			ModTime: info.ModTime(), LayerIndex: -1, RemovedBy: -1}
		e.UID, e.GID = owner(info)
		switch {
		case e.Mode&fs.ModeSymlink != 0:
			e.Size = 0
			if e.Linkname, err = root.Readlink(rel); err != nil {
				r.problem(opts.Name, "read", "%v", err)
			}
		case e.Mode.IsRegular():
			e.want = opts.Request(e.Path, e.Mode, e.Size)
			if e.want > WantTracked {
				r.readFile(root, rel, e, opts, b)
			}
		case !e.Mode.IsDir():
			e.Size = 0
		}
		r.entries = append(r.entries, e)
		return nil
	})
	t := newFileTree(b.spillDir)
	if walkErr != nil {
		t.Close()
		return nil, nil, walkErr
	}
	var problems []finding.Problem
	t.apply(r, &problems, opts.Name)
	problems = append(r.problems, problems...)
	problems = append(problems, t.checkLinks(opts.Name)...)
	return t, problems, nil
}

func (r *layerResult) readFile(root *os.Root, rel string, e *Entry, opts Options, b *budget) {
	f, err := root.Open(rel)
	if err != nil {
		r.problem(opts.Name, "read", "%v", err)
		return
	}
	defer f.Close()
	if err := r.keepContent(e, f, false, opts, b); err != nil {
		r.problem(opts.Name, "read", "reading %s: %v", e.Path, err)
		e.Content, e.SpillPath, e.blob, e.Truncated = nil, "", nil, true
	}
}
