// Package image reads container images layer by layer into a Tree: the
// file system a container would see, with the layer that added each file.
// Analyzers declare which files they need through a Request; only those
// files' contents are kept in memory.
package image

import (
	"io"
	"io/fs"
	"os"
	"time"
)

// Want says how much of a file an analyzer needs.
type Want int

// Wants, from least to most.
const (
	// WantNone keeps only the file's metadata.
	WantNone Want = iota
	// WantTracked keeps only the metadata too, and when a later layer
	// deletes the entry, Removed lists it. It is the only Want that
	// applies to directories and links, such as a deleted .git directory.
	WantTracked
	// WantContent keeps the content in memory, up to the content cap.
	WantContent
	// WantSpill writes the content to a private temporary file, up to the
	// spill cap, for readers that need random access (ELF, zip, RPM
	// databases).
	WantSpill
)

// Request decides, from a file's path inside the image (absolute, cleaned,
// such as "/var/lib/dpkg/status") and its tar metadata, how much of it an
// analyzer needs. It must be cheap: it runs for every entry of every layer.
type Request func(path string, mode fs.FileMode, size int64) Want

// Entry is one file, directory or link in the image.
type Entry struct {
	Path     string // absolute, cleaned
	Mode     fs.FileMode
	Size     int64
	UID, GID int
	Linkname string // target of a symbolic or hard link
	ModTime  time.Time

	// LayerIndex is the 0-based index of the layer that last wrote the
	// entry; LayerDigest is that layer's diff ID (sha256:...).
	LayerIndex  int
	LayerDigest string

	// Content is the file's bytes when requested with WantContent and not
	// larger than the cap; nil otherwise. Truncated is true when the file
	// was larger than the cap.
	Content   []byte
	Truncated bool
	// SpillPath is a private temporary copy for WantSpill, removed when
	// the Tree is closed. An entry of an uncompressed layer that the source
	// can read at any offset is not copied: OpenSpilled reads it in place
	// and SpillPath stays empty. Use Spilled and OpenSpilled.
	SpillPath string
	blob      *blobRef

	// RemovedBy is, for entries returned by Removed, the index of the
	// layer that deleted or replaced the file; -1 otherwise.
	RemovedBy int

	want        Want
	pendingLink bool // a hard link whose target is in a lower layer
	// firstWrite is the earliest layer whose copy at this path has the
	// same bytes, when later layers wrote the file again unchanged; nil
	// otherwise.
	firstWrite *layerRef
}

// layerRef names a layer by its index and diff ID.
type layerRef struct {
	index  int
	digest string
}

// Tree is the merged file system of an image.
type Tree interface {
	// Lookup returns the entry at an absolute path, without following a
	// final symbolic link.
	Lookup(path string) (*Entry, bool)
	// Resolve follows symbolic links inside the image, never outside it,
	// and returns the entry they lead to.
	Resolve(path string) (*Entry, bool)
	// Entries returns every visible entry sorted by path.
	Entries() []*Entry
	// Removed returns requested files (any Want but WantNone) that an
	// earlier layer added and a later layer deleted or replaced. Their content is still readable in
	// the layer named by LayerIndex. A file that the next copy at its path
	// replaced with the same bytes, as chmod -R does, is left out when
	// both contents were kept or spilled and so could be compared.
	Removed() []*Entry
	// FS returns the tree as an fs.FS (paths without the leading slash)
	// for libraries that read through io/fs; only requested contents can
	// be read.
	FS() fs.FS
	// Close removes spilled files and releases the layer blobs that
	// spilled entries are read from.
	Close() error
}

// blobRef locates a file's bytes inside an uncompressed layer blob.
type blobRef struct {
	r    io.ReaderAt
	off  int64
	size int64
}

// ContentLayer returns the index and diff ID of the earliest layer that
// wrote the entry's bytes at its path. That is LayerIndex and LayerDigest
// unless a later layer rewrote the file with the same bytes and the tree
// could compare both contents, as for Removed.
func (e *Entry) ContentLayer() (int, string) {
	if e.firstWrite == nil {
		return e.LayerIndex, e.LayerDigest
	}
	return e.firstWrite.index, e.firstWrite.digest
}

// Spilled reports whether the entry's content can be opened for random
// access with OpenSpilled.
func (e *Entry) Spilled() bool { return e.SpillPath != "" || e.blob != nil }

// SpillReader is random access to a spilled entry's content.
type SpillReader interface {
	io.Reader
	io.ReaderAt
	io.Closer
	Size() int64
}

// OpenSpilled opens the content of an entry kept with WantSpill. It fails
// with fs.ErrNotExist when the content was not kept.
func (e *Entry) OpenSpilled() (SpillReader, error) {
	switch {
	case e.blob != nil:
		return spillSection{io.NewSectionReader(e.blob.r, e.blob.off, e.blob.size), nil}, nil
	case e.SpillPath != "":
		f, err := os.Open(e.SpillPath)
		if err != nil {
			return nil, err
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		return spillSection{io.NewSectionReader(f, 0, info.Size()), f}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: e.Path, Err: fs.ErrNotExist}
}

type spillSection struct {
	*io.SectionReader
	f *os.File
}

func (s spillSection) Close() error {
	if s.f == nil {
		return nil
	}
	return s.f.Close()
}

// Combine returns a Request whose Want for each file is the maximum Want
// of reqs. Nil requests are skipped.
func Combine(reqs ...Request) Request {
	var live []Request
	for _, r := range reqs {
		if r != nil {
			live = append(live, r)
		}
	}
	return func(path string, mode fs.FileMode, size int64) Want {
		w := WantNone
		for _, r := range live {
			if got := r(path, mode, size); got > w {
				w = got
			}
		}
		return w
	}
}
