package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/dockward/dockward/internal/finding"
)

// sizedReaderAt is a blob that can be read at any offset: a layout's blob
// file or a member of an uncompressed image archive.
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// FileRange is implemented by blobs that are a byte range of a local
// file, such as a member of an image archive. The digest check maps such a
// range into memory instead of copying it.
type FileRange interface {
	// FileRange returns the file and the offset of the blob's first byte.
	FileRange() (f *os.File, offset int64)
}

// fileBlob is a whole regular file read as a blob.
type fileBlob struct {
	*io.SectionReader
	f *os.File
}

func (b fileBlob) FileRange() (*os.File, int64) { return b.f, 0 }

// randomAccess returns rc as a sizedReaderAt when its source allows
// reading at any offset.
func randomAccess(rc io.ReadCloser) (sizedReaderAt, bool) {
	switch v := rc.(type) {
	case sizedReaderAt:
		return v, true
	case *os.File:
		info, err := v.Stat()
		if err != nil || !info.Mode().IsRegular() {
			return nil, false
		}
		return fileBlob{io.NewSectionReader(v, 0, info.Size()), v}, true
	}
	return nil, false
}

// scanPlainLayer reads an uncompressed layer that allows random access.
// Two readers share the work: one hashes every byte of the blob for the
// digest check, the other parses the tar and seeks past file data that no
// analyzer requested. Hashing then runs beside the tar reader instead of
// after it, and file data is never copied through the tar reader only to
// be discarded. With Options.DeferDigests the hashing goes on after the
// tar is read, and the result carries the check for FileTree.Verify.
func (r *layerResult) scanPlainLayer(ctx context.Context, l Layer, ra sizedReaderAt, opts Options, b *budget) {
	var check *digestCheck
	if wants := layerDigests(l); len(wants) > 0 {
		check = &digestCheck{layer: l, wants: wants, name: opts.Name, label: r.label, hasher: startBlobHasher(ra)}
		defer func() {
			if r.pending != check {
				check.hasher.stop()
			}
		}()
	}

	sr := &seekReader{r: ra, size: ra.Size(), limit: opts.MaxLayerSize, buf: make([]byte, 64<<10)}
	r.plain = sr
	defer func() { r.plain = nil }()
	if !r.readTar(ctx, tar.NewReader(sr), opts, b) || check == nil {
		return
	}
	if opts.DeferDigests {
		r.pending = check
		return
	}
	r.problems = append(r.problems, check.wait()...)
}

// layerDigests returns the SHA-256 digests that an uncompressed blob must
// match: its blob digest and its diff ID, once each.
func layerDigests(l Layer) []string {
	var wants []string
	for _, d := range []string{l.Digest, l.DiffID} {
		if strings.HasPrefix(d, "sha256:") && (len(wants) == 0 || wants[0] != d) {
			wants = append(wants, d)
		}
	}
	return wants
}

// digestCheck is the running digest check of one uncompressed layer.
type digestCheck struct {
	layer  Layer
	wants  []string
	name   string // the image, for problems
	label  string // the layer, for problems
	hasher *blobHasher
}

// wait returns a fatal problem for each digest the blob does not match,
// or for a blob that could not be read to its end.
func (c *digestCheck) wait() []finding.Problem {
	got, err := c.hasher.wait()
	if err != nil {
		return []finding.Problem{{Path: c.name, Kind: "read", Reason: fmt.Sprintf("%s: reading blob: %v", c.label, err)}}
	}
	var out []finding.Problem
	for _, want := range c.wants {
		if got == want {
			continue
		}
		kind := "blob digest"
		if want == c.layer.DiffID && want != c.layer.Digest {
			kind = "diff ID"
		}
		out = append(out, finding.Problem{Path: c.name, Kind: "decode", Fatal: true,
			Reason: fmt.Sprintf("%s: %v; %s", c.label, mismatchError(kind, want, got), untrusted)})
	}
	return out
}

// blobHasher computes the SHA-256 digest of a whole blob. One goroutine
// reads the blob in large chunks and another hashes them, so that copying
// from the page cache overlaps with hashing, which is the slower of the
// two.
type blobHasher struct {
	stopped atomic.Bool
	done    chan struct{}
	sum     string
	err     error
}

// hashChunk is the read size of the hasher: large enough that system
// calls cost little, small enough to stay in the CPU cache.
const hashChunk = 1 << 20

// hashBuffers is the number of chunks in flight between the two
// goroutines.
const hashBuffers = 4

func startBlobHasher(ra sizedReaderAt) *blobHasher {
	if fr, ok := ra.(FileRange); ok {
		f, offset := fr.FileRange()
		if h, err := startMappedHasher(f, offset, ra.Size()); err == nil {
			return h
		}
	}
	h := &blobHasher{done: make(chan struct{})}
	full := make(chan []byte, hashBuffers)
	free := make(chan []byte, hashBuffers)
	for range hashBuffers {
		free <- make([]byte, hashChunk)
	}
	var readErr error
	go func() {
		defer close(full)
		size := ra.Size()
		for off := int64(0); off < size; {
			buf := <-free
			if h.stopped.Load() {
				readErr = errStopped
				return
			}
			n, err := ra.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
			off += int64(n)
			full <- buf[:n]
			if err != nil && !(errors.Is(err, io.EOF) && off == size) {
				readErr = err
				return
			}
		}
	}()
	go func() {
		defer close(h.done)
		d := sha256.New()
		for buf := range full {
			d.Write(buf)
			free <- buf[:cap(buf)]
		}
		// full is closed only after the reader has set readErr.
		h.finish(d, readErr)
	}()
	return h
}

var errStopped = errors.New("stopped")

// finish records the digest that d computed, or err when the blob could
// not be hashed to its end.
func (h *blobHasher) finish(d hash.Hash, err error) {
	if h.err = err; err == nil {
		h.sum = digestString(d)
	}
}

// wait returns the digest once the whole blob is hashed.
func (h *blobHasher) wait() (string, error) {
	<-h.done
	return h.sum, h.err
}

// stop ends the hashing early and waits for the goroutine.
func (h *blobHasher) stop() {
	h.stopped.Store(true)
	<-h.done
}

// seekFill is how much seekReader reads into its buffer after a seek.
const seekFill = 4 << 10

// seekReader reads a blob through a buffer and seeks without reading, so
// that archive/tar skips the data of entries no analyzer requested. Reading at or
// past limit fails with errBomb when the blob is larger than limit.
type seekReader struct {
	r     io.ReaderAt
	size  int64
	limit int64
	pos   int64

	buf      []byte
	bufStart int64
	bufLen   int
}

func (s *seekReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if s.pos >= s.size {
		return 0, io.EOF
	}
	if s.pos >= s.limit {
		return 0, fmt.Errorf("%w: more than %d bytes uncompressed", errBomb, s.limit)
	}
	end := min(s.size, s.limit)
	if s.pos < s.bufStart || s.pos >= s.bufStart+int64(s.bufLen) {
		if len(p) >= len(s.buf) {
			// A read as large as the buffer goes straight into p.
			n, err := s.r.ReadAt(p[:min(int64(len(p)), end-s.pos)], s.pos)
			s.pos += int64(n)
			return n, eofIsUnexpected(err, n)
		}
		want := min(int64(len(s.buf)), end-s.pos)
		if s.pos != s.bufStart+int64(s.bufLen) {
			// After a seek, archive/tar reads the last byte of the skipped
			// data, the padding and the next headers, which a page holds
			// unless PAX records are long. Filling the whole buffer here
			// copied about 100 MiB more from the page cache for a 170 MiB
			// layer of 6,700 files.
			want = min(want, seekFill)
		}
		n, err := s.r.ReadAt(s.buf[:want], s.pos)
		s.bufStart, s.bufLen = s.pos, n
		if n == 0 {
			return 0, eofIsUnexpected(err, n)
		}
	}
	n := copy(p, s.buf[s.pos-s.bufStart:s.bufLen])
	s.pos += int64(n)
	return n, nil
}

// eofIsUnexpected turns io.EOF from ReadAt into a truncation error:
// Read never requests bytes past the blob's stated size, so a short blob
// means the source shrank under the reader.
func eofIsUnexpected(err error, n int) error {
	if errors.Is(err, io.EOF) {
		if n > 0 {
			return nil
		}
		return io.ErrUnexpectedEOF
	}
	return err
}

func (s *seekReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += s.pos
	case io.SeekEnd:
		offset += s.size
	default:
		return 0, errors.New("seek: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("seek: negative position")
	}
	s.pos = offset
	return offset, nil
}
