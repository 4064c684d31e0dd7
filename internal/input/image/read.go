package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dockward/dockward/internal/finding"
)

// Layer is one layer blob as a source stores it: compressed with gzip or
// zstd, or a plain tar. The compression is detected from the content, not
// from the media type, because archives written by docker save label
// plain tars inconsistently.
type Layer struct {
	// Digest is the blob digest that the manifest names (sha256:...), or
	// empty when the format has none. The bytes from Open are checked
	// against it.
	Digest string
	// DiffID is the digest of the uncompressed tar from the image config.
	// It is checked when the blob is not compressed or has no Digest.
	DiffID string
	// MediaType is the media type the manifest names, for messages only.
	MediaType string
	// Open returns the blob's bytes.
	Open func() (io.ReadCloser, error)
}

// Limits that protect a scan from hostile or broken images.
const (
	DefaultMaxContent      = 16 << 20
	DefaultMaxTotalContent = 64 << 20
	DefaultMaxSpill        = 2 << 30
	DefaultMaxLayerSize    = 32 << 30
	// DefaultMaxRatio is the largest uncompressed-to-compressed ratio
	// accepted once a layer passes bombCheckAfter bytes. It is above what
	// deflate can reach (about 1032:1; Go's compress/gzip makes 1028:1 from
	// zeros), so no gzip layer trips it, while zstd reaches 9000:1 and more
	// on zeros. With it, decoding a layer costs at most
	// max(bombCheckAfter, DefaultMaxRatio × compressed size) of output.
	DefaultMaxRatio = 1100
)

// Options configure Read.
type Options struct {
	// Request decides which contents are kept; nil keeps metadata only.
	Request Request
	// Name is the image as the user named it, used in problems.
	Name string
	// MaxContent caps one file kept in memory (WantContent).
	MaxContent int64
	// MaxTotalContent caps all contents kept in memory together.
	MaxTotalContent int64
	// MaxSpill caps all spilled files together (WantSpill).
	MaxSpill int64
	// MaxLayerSize caps the uncompressed size of one layer.
	MaxLayerSize int64
	// MaxRatio caps the compression ratio of a layer larger than 1 GiB
	// uncompressed; zero means DefaultMaxRatio.
	MaxRatio int64
	// TempDir is the parent of the private spill directory; empty means
	// os.TempDir.
	TempDir string
	// Workers bounds how many layers are read at once; zero means
	// GOMAXPROCS.
	Workers int
	// DeferDigests lets Read return while the digests of uncompressed
	// layers are still being computed, so that analysis of the tree runs
	// beside the hashing. The caller must then call FileTree.Verify before
	// it reports anything: a digest that does not match is among the
	// problems Verify returns, not among those of Read.
	DeferDigests bool
	Logger       *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Request == nil {
		o.Request = func(string, os.FileMode, int64) Want { return WantNone }
	}
	if o.MaxContent <= 0 {
		o.MaxContent = DefaultMaxContent
	}
	if o.MaxTotalContent <= 0 {
		o.MaxTotalContent = DefaultMaxTotalContent
	}
	if o.MaxSpill <= 0 {
		o.MaxSpill = DefaultMaxSpill
	}
	if o.MaxLayerSize <= 0 {
		o.MaxLayerSize = DefaultMaxLayerSize
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// budget is the memory and spill allowance shared by all layer readers.
type budget struct {
	content atomic.Int64
	spill   atomic.Int64

	mu       sync.Mutex
	spillDir string
	tempDir  string
	seq      int
}

// take reserves n bytes of a counter and reports whether they fit.
func take(c *atomic.Int64, n, limit int64) bool {
	if c.Add(n) > limit {
		c.Add(-n)
		return false
	}
	return true
}

// createSpill creates a private file in the spill directory, which is
// made on first use with mode 0700.
func (b *budget) createSpill() (*os.File, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.spillDir == "" {
		dir, err := os.MkdirTemp(b.tempDir, "dockward-spill-")
		if err != nil {
			return nil, fmt.Errorf("creating spill directory: %w", err)
		}
		b.spillDir = dir
	}
	b.seq++
	return os.OpenFile(fmt.Sprintf("%s/%d", b.spillDir, b.seq), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
}

// Read streams the layers in order and returns the merged tree. Problems
// are faults in the image that did not stop the read, such as a layer
// that could not be opened, a digest mismatch or an entry that escapes
// the image root. The tree then contains everything else. Read returns an
// error only when ctx is cancelled. Close the tree to remove spilled
// files.
func Read(ctx context.Context, layers []Layer, opts Options) (*FileTree, []finding.Problem, error) {
	opts = opts.withDefaults()
	b := &budget{tempDir: opts.TempDir}
	results := make([]*layerResult, len(layers))

	next := make(chan int)
	var wg sync.WaitGroup
	for range min(opts.Workers, max(len(layers), 1)) {
		wg.Go(func() {
			for i := range next {
				results[i] = scanLayer(ctx, i, layers[i], opts, b)
			}
		})
	}
	for i := range layers {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()

	t := newFileTree(b.spillDir)
	if err := ctx.Err(); err != nil {
		for _, r := range results {
			if r == nil {
				continue
			}
			if r.pending != nil {
				r.pending.hasher.stop()
			}
			if r.blobCloser != nil {
				r.blobCloser.Close()
			}
		}
		t.Close()
		return nil, nil, err
	}
	var problems []finding.Problem
	for _, r := range results {
		problems = append(problems, r.problems...)
		t.apply(r, &problems, opts.Name)
	}
	problems = append(problems, t.checkLinks(opts.Name)...)
	return t, problems, nil
}

// errNotRequested is returned when an fs.FS reader opens a file whose
// content no Request asked for.
var errNotRequested = errors.New("content not requested")

// bombCheckAfter is the uncompressed size after which MaxRatio applies; a
// variable so tests can lower it. Below it, a layer of zero-filled files
// passes whatever its ratio.
//
// NOTE: a zstd layer with more than 1 GiB of mostly zeros exceeds
// DefaultMaxRatio and is reported as a bomb, and only Options.MaxRatio
// raises the limit: the scan command has no flag for it.
var bombCheckAfter int64 = 1 << 30
