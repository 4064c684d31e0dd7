package secrets

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/secrets"
)

// MaxImageFileSize is the largest image file whose content is searched.
const MaxImageFileSize = 2 << 20

// skippedImageDirs hold files of distribution packages, which carry no
// secrets of the image's own and are large: documentation, locales,
// shared libraries, kernel modules and package databases.
var skippedImageDirs = []string{
	"/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/",
	"/usr/share/i18n/", "/usr/share/zoneinfo/", "/usr/share/icons/", "/usr/share/fonts/",
	"/usr/share/mime/", "/usr/share/perl/", "/usr/share/perl5/", "/usr/share/terminfo/",
	"/usr/share/X11/", "/usr/lib/x86_64-linux-gnu/", "/usr/lib/aarch64-linux-gnu/",
	"/lib/x86_64-linux-gnu/", "/lib/aarch64-linux-gnu/", "/usr/lib/gcc/", "/lib/modules/",
	"/usr/lib/modules/", "/usr/lib/locale/", "/var/lib/dpkg/", "/var/lib/apt/",
	"/var/lib/rpm/", "/var/cache/", "/usr/include/", "/proc/", "/sys/", "/dev/",
	"/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/libexec/",
}

// thirdPartyDirs are directory names that hold installed third-party
// packages: their test fixtures carry sample keys, and their secrets, if
// any, are not the image's own. The tree walk of check skips the same
// kinds of directories.
var thirdPartyDirs = []string{"/node_modules/", "/site-packages/", "/dist-packages/", "/vendor/",
	"/gems/", "/.cargo/registry/", "/go/pkg/mod/", "/usr/local/go/", "/usr/lib/jvm/", "/usr/share/",
	"/.npm/_cacache/", "/.cache/pip/"}

// skippedImageExts are formats no detector reads: compressed archives,
// images, fonts, compiled objects and message catalogs.
var skippedImageExts = map[string]bool{
	".gz": true, ".xz": true, ".bz2": true, ".zst": true, ".zip": true, ".jar": true, ".war": true,
	".whl": true, ".tgz": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true,
	".webp": true, ".svg": false, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true,
	".a": true, ".o": true, ".pyc": true, ".pyo": true, ".mo": true, ".class": true, ".so": true,
	".mp3": true, ".mp4": true, ".pdf": true, ".wasm": true,
}

// Request requests from the image reader the content of files that may
// hold secrets: regular files up to MaxImageFileSize outside the
// directories and formats of distribution and language packages.
func Request(p string, mode fs.FileMode, size int64) inimage.Want {
	if !mode.IsRegular() || size == 0 || size > MaxImageFileSize {
		return inimage.WantNone
	}
	for _, d := range skippedImageDirs {
		if strings.HasPrefix(p, d) {
			return inimage.WantNone
		}
	}
	for _, d := range thirdPartyDirs {
		if strings.Contains(p, d) {
			return inimage.WantNone
		}
	}
	ext := strings.ToLower(path.Ext(p))
	if skippedImageExts[ext] || strings.Contains(path.Base(p), ".so.") {
		return inimage.WantNone
	}
	return inimage.WantContent
}

// TreeOptions configure ScanTree.
type TreeOptions struct {
	// Image is the image name shown in locations.
	Image string
	// Scanner is the detector set with its allow-list; nil means
	// secrets.Default.
	Scanner *secrets.Scanner
	// Skip reports files that another rule already reports with the
	// detector's name, such as credential files found by IM012, so that
	// one secret yields one finding.
	Skip func(e *inimage.Entry) bool
	// Workers bounds how many files are scanned at once; zero means
	// GOMAXPROCS.
	Workers int
}

// ScanTree searches the content of every file that Request asked for,
// including files that a later layer deleted or replaced: their content
// is still in the layer that added them, and the finding names it.
//
// A secret that several copies of one path contain is reported once. When
// the visible file still contains it, the finding is at the visible
// file's line. Otherwise it is at the earliest copy that contains it.
// Either way the finding names the earliest layer that wrote the secret.
// Secrets are compared by rule and a SHA-256 of the flagged bytes.
func ScanTree(ctx context.Context, tree inimage.Tree, opts TreeOptions) []finding.Finding {
	sc := opts.Scanner
	if sc == nil {
		sc = secrets.Default()
	}
	earlier := map[string][]*inimage.Entry{}
	removed := tree.Removed()
	for _, e := range removed {
		earlier[e.Path] = append(earlier[e.Path], e)
	}

	// Each path is one job: the visible file with the copies that earlier
	// layers left, then the paths that only deleted copies have. A path
	// without content in any copy has nothing to scan.
	type job struct {
		visible *inimage.Entry
		copies  []*inimage.Entry
	}
	var jobs []job
	for _, e := range tree.Entries() {
		if e.Content != nil || len(earlier[e.Path]) > 0 {
			jobs = append(jobs, job{e, earlier[e.Path]})
		}
		delete(earlier, e.Path)
	}
	for _, e := range removed {
		if copies, ok := earlier[e.Path]; ok {
			jobs = append(jobs, job{nil, copies})
			delete(earlier, e.Path)
		}
	}

	// Jobs run on every core, and their findings are joined in job order,
	// so the output does not depend on scheduling.
	type result struct{ visible, deleted []finding.Finding }
	results := make([]result, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for range min(workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				v, d := scanPath(sc, opts, jobs[i].visible, jobs[i].copies)
				results[i] = result{v, d}
			}
		})
	}
	wg.Wait()
	var visible, deleted []finding.Finding
	for _, r := range results {
		visible = append(visible, r.visible...)
		deleted = append(deleted, r.deleted...)
	}
	return append(visible, deleted...)
}

// secretKey identifies a secret across copies of a file without keeping
// its value: the rule and a SHA-256 of the flagged bytes.
type secretKey struct {
	ruleID string
	sum    [sha256.Size]byte
}

// scannedCopy is one copy of a path with its findings and their keys.
type scannedCopy struct {
	entry    *inimage.Entry
	findings []finding.Finding
	keys     []secretKey
}

// scanPath scans the copies of one path: the visible entry, nil when the
// path is gone, and the earlier copies that later layers deleted or
// replaced. It returns the findings in the visible file, then the
// findings of secrets that only earlier copies contain.
func scanPath(sc *secrets.Scanner, opts TreeOptions, visible *inimage.Entry,
	copies []*inimage.Entry,
) ([]finding.Finding, []finding.Finding) {
	copies = slices.Clone(copies)
	slices.SortStableFunc(copies, func(a, b *inimage.Entry) int { return cmp.Compare(a.LayerIndex, b.LayerIndex) })
	var earlierCopies []scannedCopy
	// NOTE: a secret that a middle copy dropped and a later copy wrote
	// again is still attributed to the first copy that contained it.
	first := map[secretKey]*inimage.Entry{}
	last := map[secretKey]*inimage.Entry{}
	for _, e := range copies {
		c, ok := scanCopy(sc, opts, e)
		if !ok {
			continue
		}
		earlierCopies = append(earlierCopies, c)
		for _, k := range c.keys {
			if first[k] == nil {
				first[k] = e
			}
			last[k] = e
		}
	}

	var current []finding.Finding
	inVisible := map[secretKey]bool{}
	if c, ok := scanCopy(sc, opts, visible); ok {
		for i, f := range c.findings {
			inVisible[c.keys[i]] = true
			current = append(current, visibleFinding(f, opts.Image, visible, first[c.keys[i]]))
		}
	}

	var removedOnly []finding.Finding
	for _, c := range earlierCopies {
		for i, f := range c.findings {
			k := c.keys[i]
			if !inVisible[k] && first[k] == c.entry {
				removedOnly = append(removedOnly, removedFinding(f, opts.Image, c.entry, last[k]))
			}
		}
	}
	return current, removedOnly
}

// scanCopy scans one copy of a file. It returns false for a nil entry and
// for files without content or left to another rule.
func scanCopy(sc *secrets.Scanner, opts TreeOptions, e *inimage.Entry) (scannedCopy, bool) {
	if e == nil || e.Content == nil || sc.SkipsPath(e.Path) || opts.Skip != nil && opts.Skip(e) {
		return scannedCopy{}, false
	}
	c := scannedCopy{entry: e}
	c.findings = scanFile(sc, e.Path, strings.TrimPrefix(e.Path, "/"), e.Content, isBinary(e.Content), false)
	if len(c.findings) == 0 {
		return c, true
	}
	starts := lineStarts(e.Content)
	for _, f := range c.findings {
		c.keys = append(c.keys, keyOf(f, e.Content, starts))
	}
	return c, true
}

// visibleFinding places a finding of the visible file e at e's line and
// at the layer that first wrote the secret: the content layer of the
// earliest earlier copy that contains it, or of e itself when first is nil.
func visibleFinding(f finding.Finding, image string, e, first *inimage.Entry) finding.Finding {
	if first == nil {
		first = e
	}
	index, digest := first.ContentLayer()
	f.Location = imageLocation(f.Location, image, e.Path, index, digest)
	switch {
	case index < 0:
		// A root file system directory has no layers.
	case index == e.LayerIndex:
		f.Message += fmt.Sprintf(" (added in layer %d)", index)
	default:
		f.Message += fmt.Sprintf(" (added in layer %d; layer %d rewrote the file and kept it)",
			index, e.LayerIndex)
	}
	return f
}

// removedFinding places a finding of an earlier copy e, the first that
// contains the secret, at e's line and content layer. last is the latest
// copy that contains the secret, whose RemovedBy took it out of the path.
func removedFinding(f finding.Finding, image string, e, last *inimage.Entry) finding.Finding {
	index, digest := e.ContentLayer()
	f.Location = imageLocation(f.Location, image, e.Path, index, digest)
	f.Message += fmt.Sprintf("; the file was deleted or replaced in layer %d, but layer %d (%s) still holds it",
		last.RemovedBy, index, shortDigest(digest))
	return f
}

// imageLocation returns the location of a finding in an image file: the
// line range of pos at path p in the given layer.
func imageLocation(pos finding.Location, image, p string, index int, digest string) finding.Location {
	loc := finding.Location{Path: p, Image: image, Layer: digest, ImagePath: p}
	if index >= 0 {
		loc.LayerIndex = &index
	}
	loc.StartLine, loc.StartColumn = pos.StartLine, pos.StartColumn
	loc.EndLine, loc.EndColumn = pos.EndLine, pos.EndColumn
	return loc
}

// keyOf returns the key of a finding in data, whose lines begin at the
// offsets in starts. A finding without a start position is keyed by its
// message, which never contains the value.
func keyOf(f finding.Finding, data []byte, starts []int) secretKey {
	value, ok := flaggedBytes(data, starts, f.Location)
	if !ok {
		value = []byte(f.Message)
	}
	return secretKey{ruleID: f.RuleID, sum: sha256.Sum256(value)}
}

// flaggedBytes returns the bytes of data between a location's start and
// end, with 1-based lines and byte columns and an exclusive end column.
// A zero end column means the end of EndLine.
func flaggedBytes(data []byte, starts []int, loc finding.Location) ([]byte, bool) {
	start, ok := byteOffset(data, starts, loc.StartLine, loc.StartColumn)
	if !ok {
		return nil, false
	}
	endLine := max(loc.EndLine, loc.StartLine)
	end, ok := byteOffset(data, starts, endLine, max(loc.EndColumn, 1))
	if !ok || end < start {
		return nil, false
	}
	if loc.EndColumn == 0 {
		if nl := bytes.IndexByte(data[end:], '\n'); nl >= 0 {
			end += nl
		} else {
			end = len(data)
		}
	}
	return data[start:end], true
}

// byteOffset converts a 1-based line and byte column to an offset in data.
func byteOffset(data []byte, starts []int, line, column int) (int, bool) {
	if line < 1 || line > len(starts) || column < 1 {
		return 0, false
	}
	off := starts[line-1] + column - 1
	if off > len(data) {
		return 0, false
	}
	return off, true
}

func shortDigest(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

func isBinary(data []byte) bool {
	head := data[:min(len(data), 8192)]
	for _, b := range head {
		if b == 0 {
			return true
		}
	}
	return false
}
