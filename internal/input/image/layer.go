package image

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/dockward/dockward/internal/finding"
)

// Whiteout markers of the OCI image layout: ".wh.NAME" deletes NAME from
// lower layers, and ".wh..wh..opq" hides everything lower layers put in
// its directory.
const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	whiteoutOpaque = ".wh..wh..opq"
)

// maxLayerProblems bounds the problems one layer reports; the rest are
// counted in a final problem.
const maxLayerProblems = 50

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// layerResult is the entries, whiteouts and opaque markers of one layer.
type layerResult struct {
	index     int
	digest    string
	label     string
	entries   []*Entry
	whiteouts []string // paths deleted from lower layers
	opaques   []string // directories whose lower content is hidden
	problems  []finding.Problem
	dropped   int // problems beyond maxLayerProblems

	// plain reads an uncompressed layer that allows random access, and
	// spilled entries then point into it. blobUsed records that the tree
	// must keep the blob open.
	plain      *seekReader
	blobUsed   bool
	blobCloser io.Closer

	// pending is the digest check still hashing the blob after the tar
	// was read (Options.DeferDigests). The tree waits for it in Verify.
	pending *digestCheck
}

// fatal records a problem that leaves the analysis of the image incomplete
// or untrustworthy, such as a missing or corrupt layer or a digest that
// does not match. Commands then exit with status 2.
func (r *layerResult) fatal(name, kind, format string, args ...any) {
	r.problem(name, kind, format, args...)
	if n := len(r.problems); n > 0 {
		r.problems[n-1].Fatal = true
	}
}

func (r *layerResult) problem(name, kind, format string, args ...any) {
	if len(r.problems) >= maxLayerProblems {
		r.dropped++
		return
	}
	r.problems = append(r.problems, finding.Problem{Path: name, Kind: kind,
		Reason: r.label + ": " + fmt.Sprintf(format, args...)})
}

// layerLabel names a layer in messages by index and short digest.
func layerLabel(i int, l Layer) string {
	d := l.DiffID
	if d == "" {
		d = l.Digest
	}
	if d == "" {
		return fmt.Sprintf("layer %d", i)
	}
	return fmt.Sprintf("layer %d (%s)", i, shortDigest(d))
}

func shortDigest(d string) string {
	if _, hexPart, ok := strings.Cut(d, ":"); ok && len(hexPart) > 12 {
		return d[:len(d)-len(hexPart)+12]
	}
	return d
}

// errBomb is returned by the size guard when a layer grows past a limit.
var errBomb = errors.New("layer exceeds the size limit")

// guardReader counts uncompressed bytes and stops a decompression bomb.
type guardReader struct {
	r          io.Reader
	n          int64
	compressed *countReader
	maxSize    int64
	maxRatio   int64
}

// Read stops at maxSize bytes: a layer of exactly that size reads to its
// end, and one byte more fails the read.
func (g *guardReader) Read(p []byte) (int, error) {
	if g.n >= g.maxSize {
		var probe [1]byte
		if n, err := g.r.Read(probe[:]); n == 0 {
			return 0, err
		}
		return 0, fmt.Errorf("%w: more than %d bytes uncompressed", errBomb, g.maxSize)
	}
	if rest := g.maxSize - g.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.compressed == nil || g.n <= bombCheckAfter {
		return n, err
	}
	if c := g.compressed.n.Load(); g.n > g.maxRatio*max(c, 1) {
		return n, fmt.Errorf("%w: %d bytes uncompressed from %d compressed, a ratio over %d:1 "+
			"(more than gzip can reach), so the layer is read as a decompression bomb", errBomb, g.n, c, g.maxRatio)
	}
	return n, err
}

// countReader counts the compressed bytes read. The decompressor reads
// on the read-ahead goroutine while guardReader checks the count on the
// tar reader's, so the count is atomic.
type countReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// scanLayer reads one layer. Every fault becomes a problem of the result.
func scanLayer(ctx context.Context, i int, l Layer, opts Options, b *budget) *layerResult {
	r := &layerResult{index: i, digest: l.DiffID, label: layerLabel(i, l)}
	if r.digest == "" {
		r.digest = l.Digest
	}
	defer func() {
		if r.dropped > 0 {
			r.problems = append(r.problems, finding.Problem{Path: opts.Name, Kind: "decode",
				Reason: fmt.Sprintf("%s: %d more problems not listed", r.label, r.dropped)})
		}
	}()
	if l.Open == nil {
		r.fatal(opts.Name, "read", "no content")
		return r
	}
	rc, err := l.Open()
	if err != nil {
		r.fatal(opts.Name, "read", "%v; its files are missing from the analysis", err)
		return r
	}
	if ra, ok := randomAccess(rc); ok {
		var head [4]byte
		n, _ := ra.ReadAt(head[:], 0)
		if !bytes.HasPrefix(head[:n], gzipMagic) && !bytes.HasPrefix(head[:n], zstdMagic) {
			r.scanPlainLayer(ctx, l, ra, opts, b)
			if r.blobUsed || r.pending != nil {
				r.blobCloser = rc // the tree closes it
			} else {
				rc.Close()
			}
			return r
		}
	}
	defer rc.Close()

	blobHash := newDigester(l.Digest)
	if blobHash != nil {
		defer blobHash.finish()
	}
	raw := &countReader{r: rc}
	var src io.Reader = raw
	if blobHash != nil {
		src = io.TeeReader(raw, blobHash)
	}
	br := bufio.NewReaderSize(src, 64<<10)
	head, _ := br.Peek(4)

	var plain io.Reader
	compressed := true
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			r.problem(opts.Name, "decode", "invalid gzip stream: %v", err)
			return r
		}
		defer zr.Close()
		plain = zr
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(64<<20))
		if err != nil {
			r.problem(opts.Name, "decode", "invalid zstd stream: %v", err)
			return r
		}
		defer zr.Close()
		plain = zr
	default:
		plain = br
		compressed = false
	}

	var diffHash *digester
	if l.DiffID != "" && (blobHash == nil || (!compressed && l.DiffID != l.Digest)) {
		if diffHash = newDigester(l.DiffID); diffHash != nil {
			defer diffHash.finish()
		}
	}
	if compressed {
		ra := newReadAhead(plain)
		defer ra.Close()
		plain = ra
	}
	guard := &guardReader{r: plain, maxSize: opts.MaxLayerSize, maxRatio: opts.MaxRatio}
	if compressed {
		guard.compressed = raw
	}
	var ur io.Reader = guard
	if diffHash != nil {
		ur = io.TeeReader(guard, diffHash)
	}

	complete := r.readTar(ctx, tar.NewReader(ur), opts, b)
	if !complete {
		return r
	}
	// Read what follows the end-of-archive marker so digests cover the
	// whole blob.
	if _, err := io.Copy(io.Discard, ur); err != nil {
		r.problem(opts.Name, "decode", "reading past the end of the tar: %v", err)
		return r
	}
	if blobHash != nil {
		if _, err := io.Copy(io.Discard, br); err != nil {
			r.problem(opts.Name, "read", "reading blob: %v", err)
			return r
		}
		if err := blobHash.check("blob digest"); err != nil {
			r.fatal(opts.Name, "decode", "%v; "+untrusted, err)
		}
	}
	if diffHash != nil {
		if err := diffHash.check("diff ID"); err != nil {
			r.fatal(opts.Name, "decode", "%v; "+untrusted, err)
		}
	}
	return r
}

// readTar reads every entry and reports whether the tar ended cleanly.
func (r *layerResult) readTar(ctx context.Context, tr *tar.Reader, opts Options, b *budget) bool {
	seen := make(map[string]int)
	for n := 0; ; n++ {
		if n%256 == 0 && ctx.Err() != nil {
			r.problem(opts.Name, "read", "cancelled")
			return false
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return true
		}
		if err != nil {
			r.fatal(opts.Name, "decode", "reading tar: %v; entries after this point are missing",
				describeReadError(err))
			return false
		}
		e, ok := r.entry(hdr, opts.Name)
		if !ok {
			continue
		}
		if hdr.Typeflag == tar.TypeLink {
			r.linkContent(e, hdr, seen, opts.Name)
		}
		if !e.Mode.IsRegular() {
			e.want = min(opts.Request(e.Path, e.Mode, e.Size), WantTracked)
		}
		if e.Mode.IsRegular() && hdr.Typeflag != tar.TypeLink {
			e.want = opts.Request(e.Path, e.Mode, e.Size)
			if err := r.keepContent(e, tr, isSparse(hdr), opts, b); err != nil {
				r.fatal(opts.Name, "decode", "reading %s: %v; entries after this point are missing",
					e.Path, describeReadError(err))
				return false
			}
		}
		if prev, dup := seen[e.Path]; dup {
			r.problem(opts.Name, "decode", "duplicate entry %s; the last one is used", e.Path)
			r.entries[prev] = e
			continue
		}
		seen[e.Path] = len(r.entries)
		r.entries = append(r.entries, e)
	}
}

// isSparse reports whether hdr is a GNU sparse file in either the old
// GNU or the PAX form.
func isSparse(hdr *tar.Header) bool {
	if hdr.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

func describeReadError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("the layer is truncated (%w)", err)
	}
	return err
}

// entry turns a tar header into an Entry, or records a whiteout. It
// returns false for whiteouts and for entries that are skipped.
func (r *layerResult) entry(hdr *tar.Header, name string) (*Entry, bool) {
	p, ok := r.cleanName(hdr.Name, name, "entry")
	if !ok {
		return nil, false
	}
	base := path.Base(p)
	if strings.HasPrefix(base, whiteoutPrefix) {
		switch {
		case base == whiteoutOpaque:
			r.opaques = append(r.opaques, path.Dir(p))
		case strings.HasPrefix(base, whiteoutMeta):
			// Other AUFS metadata, such as hard-link directories, carries
			// no file of the image.
		default:
			r.whiteouts = append(r.whiteouts, path.Join(path.Dir(p), base[len(whiteoutPrefix):]))
		}
		return nil, false
	}

	e := &Entry{Path: p, Size: hdr.Size, UID: hdr.Uid, GID: hdr.Gid, ModTime: hdr.ModTime,
		LayerIndex: r.index, LayerDigest: r.digest, RemovedBy: -1}
	e.Mode = hdr.FileInfo().Mode()
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeDir, tar.TypeFifo:
	case tar.TypeSymlink:
		e.Linkname = hdr.Linkname
		e.Size = 0
	case tar.TypeLink:
		e.Mode = e.Mode.Perm() | e.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
		e.Size = 0
	case tar.TypeChar, tar.TypeBlock:
		// Root file systems made by debootstrap and similar tools carry the
		// standard nodes under /dev; a device anywhere else is unexpected.
		if !strings.HasPrefix(p, "/dev/") {
			r.problem(name, "decode", "device file %s (%s %d:%d) outside /dev kept as metadata only",
				p, deviceKind(hdr.Typeflag), hdr.Devmajor, hdr.Devminor)
		}
		e.Size = 0
	default:
		r.problem(name, "decode", "entry %s has unsupported tar type %q and is skipped", p, hdr.Typeflag)
		return nil, false
	}
	return e, true
}

func deviceKind(t byte) string {
	if t == tar.TypeChar {
		return "character device"
	}
	return "block device"
}

// cleanName turns a tar name into an absolute, cleaned path inside the
// image. A name that climbs above the root with ".." is rejected, as the
// Docker Engine rejects it. An absolute name is read relative to the root.
func (r *layerResult) cleanName(raw, name, what string) (string, bool) {
	if raw == "" {
		r.problem(name, "decode", "%s with an empty name skipped", what)
		return "", false
	}
	if strings.HasPrefix(raw, "/") {
		p := path.Clean(raw)
		r.problem(name, "decode", "%s %q has an absolute path; it is read as %s inside the image",
			what, raw, p)
		return p, true
	}
	rel := path.Clean(raw)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		// docker load rejects such a layer. Its content, possibly a file
		// meant to stay hidden from scanners, is never checked, so the
		// scan cannot vouch for the layer.
		r.fatal(name, "decode", "%s %q points outside the image root and is skipped; the layer was "+
			"crafted or damaged, so its analysis is incomplete", what, raw)
		return "", false
	}
	return path.Clean("/" + rel), true
}

// linkContent fills a hard link from its target when the target is in the
// same layer. Other targets are looked up in lower layers at merge time.
func (r *layerResult) linkContent(e *Entry, hdr *tar.Header, seen map[string]int, name string) {
	target, ok := r.cleanName(hdr.Linkname, name, "hard link target of "+e.Path)
	if !ok {
		return
	}
	e.Linkname = target
	if i, ok := seen[target]; ok {
		copyFileData(e, r.entries[i])
		return
	}
	e.pendingLink = true
}

func copyFileData(dst, src *Entry) {
	dst.Size = src.Size
	dst.Content = src.Content
	dst.Truncated = src.Truncated
	dst.SpillPath = src.SpillPath
	dst.blob = src.blob
	dst.want = src.want
}

// keepContent reads a regular file's content as its Want requests, within
// the caps. Other bytes are left for the tar reader to skip.
//
// sparse is true for a GNU sparse file, whose bytes in the tar are not
// the file's bytes in order.
func (r *layerResult) keepContent(e *Entry, tr io.Reader, sparse bool, opts Options, b *budget) error {
	switch e.want {
	case WantContent:
		if e.Size > opts.MaxContent {
			e.Truncated = true
			r.problem(opts.Name, "skipped", "%s is %d bytes, over the %d-byte content cap; it is not read",
				e.Path, e.Size, opts.MaxContent)
			return nil
		}
		if !take(&b.content, e.Size, opts.MaxTotalContent) {
			e.Truncated = true
			r.problem(opts.Name, "skipped", "%s not read: the %d-byte cap on all kept contents is reached",
				e.Path, opts.MaxTotalContent)
			return nil
		}
		buf := make([]byte, e.Size)
		if _, err := io.ReadFull(tr, buf); err != nil {
			return err
		}
		e.Content = buf
	case WantSpill:
		if r.plain != nil && !sparse {
			// The bytes stay where they are in the blob; the tar reader
			// seeks past them.
			e.blob = &blobRef{r: r.plain.r, off: r.plain.pos, size: e.Size}
			r.blobUsed = true
			return nil
		}
		if !take(&b.spill, e.Size, opts.MaxSpill) {
			e.Truncated = true
			r.problem(opts.Name, "skipped", "%s not copied: the %d-byte spill cap is reached",
				e.Path, opts.MaxSpill)
			return nil
		}
		f, err := b.createSpill()
		if err != nil {
			e.Truncated = true
			r.problem(opts.Name, "read", "%s not copied: %v", e.Path, err)
			return nil
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		e.SpillPath = f.Name()
	}
	return nil
}

// digester hashes a stream on its own goroutine, so that on a machine
// with a spare core the digest check costs little wall time. Writes are
// batched into 256 KiB chunks to keep channel traffic low.
type digester struct {
	want string
	h    hash.Hash
	buf  []byte
	ch   chan []byte
	free chan []byte
	done chan struct{}
	once sync.Once
}

const digestChunk = 256 << 10

// newDigester returns nil for an empty or non-sha256 digest, which is
// then not checked. Call finish or check to stop its goroutine.
func newDigester(want string) *digester {
	if !strings.HasPrefix(want, "sha256:") {
		return nil
	}
	d := &digester{want: want, h: sha256.New(), ch: make(chan []byte, 4), free: make(chan []byte, 6),
		done: make(chan struct{})}
	for range cap(d.free) {
		d.free <- make([]byte, 0, digestChunk)
	}
	d.buf = <-d.free
	go func() {
		defer close(d.done)
		for b := range d.ch {
			d.h.Write(b)
			d.free <- b[:0]
		}
	}()
	return d
}

func (d *digester) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), digestChunk-len(d.buf))
		d.buf = append(d.buf, p[:k]...)
		p = p[k:]
		if len(d.buf) == digestChunk {
			d.ch <- d.buf
			d.buf = <-d.free
		}
	}
	return n, nil
}

// finish flushes the last chunk and waits for the hashing goroutine.
func (d *digester) finish() {
	d.once.Do(func() {
		if len(d.buf) > 0 {
			d.ch <- d.buf
		}
		close(d.ch)
		<-d.done
	})
}

func (d *digester) check(what string) error {
	d.finish()
	if got := digestString(d.h); got != d.want {
		return mismatchError(what, d.want, got)
	}
	return nil
}

// untrusted ends the message of a layer whose content does not match a
// digest that its manifest or config names.
const untrusted = "the layer was read but its content cannot be trusted"

// mismatchError reports content whose digest, got, is not the one the
// manifest names. what is "blob digest" or "diff ID".
func mismatchError(what, want, got string) error {
	return fmt.Errorf("%s mismatch: the manifest names %s, the content is %s", what, want, got)
}

// digestString returns the sum of a SHA-256 hash as a digest, sha256:HEX.
func digestString(h hash.Hash) string {
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
