package pkgdb

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/image"
)

// Limits on what a cataloger reads. Files above them are skipped with a
// problem rather than read.
const (
	// maxManifestSize caps text databases and manifests read into memory.
	maxManifestSize = 64 << 20
	// maxBinarySize caps executables and archives spilled for random access.
	maxBinarySize = 512 << 20
	// maxCopyrightSize caps the Debian copyright files read for licences,
	// so that a few very long ones do not use up the tree's content budget.
	maxCopyrightSize = 256 << 10
	// minBinarySize skips executables too small to be Go or Rust programs,
	// such as scripts and small C tools, which would otherwise be spilled.
	// NOTE: an estimate. Go programs are over 1 MiB; Rust programs built
	// for size can come near 100 KiB.
	minBinarySize = 64 << 10
)

// ErrNoContent is returned for an entry whose content the tree did not
// keep, because it was not requested or was larger than the cap.
var ErrNoContent = errors.New("file content not available")

// scan is the state of one Catalog run that parsers may read.
type scan struct {
	os *OS
}

// cataloger reads one kind of package database or manifest.
type cataloger struct {
	name  string
	want  image.Want
	match func(p string, mode fs.FileMode, size int64) bool
	parse func(s *scan, e *image.Entry) ([]Package, error)
	// history is true for databases that list many packages, whose
	// earlier versions in lower layers tell which layer added a package.
	history bool
}

// catalogers is the list of every cataloger. A file goes to the first
// that matches it.
var catalogers = []cataloger{
	{name: "dpkg", want: image.WantContent, match: matchDpkg, parse: parseDpkgEntry, history: true},
	{name: "apk", want: image.WantContent, match: matchAPK, parse: parseAPKEntry, history: true},
	{name: "rpm", want: image.WantSpill, match: matchRPM, parse: parseRPMEntry, history: true},
	{name: "npm", want: image.WantContent, match: matchNPM, parse: parseNPMEntry},
	{name: "python", want: image.WantContent, match: matchPython, parse: parsePythonEntry},
	{name: "java", want: image.WantSpill, match: matchJava, parse: parseJavaEntry},
	{name: "gem", want: image.WantContent, match: matchGem, parse: parseGemEntry},
	{name: "composer", want: image.WantContent, match: matchComposer, parse: parseComposerEntry},
	{name: "dotnet", want: image.WantContent, match: matchDotnet, parse: parseDotnetEntry},
	// Last, because manifests and archives can carry an executable bit.
	{name: "binary", want: image.WantSpill, match: matchBinary, parse: parseBinaryEntry},
}

// Request returns the image request of the catalogers: the OS release
// files and every file a cataloger reads, with the content or a spilled
// copy for the files that need random access.
func Request() image.Request {
	return func(p string, mode fs.FileMode, size int64) image.Want {
		if !mode.IsRegular() {
			return image.WantNone // the content of links and directories is never needed
		}
		if matchDebianCopyright(p) && size <= maxCopyrightSize || isOSFile(p) {
			return image.WantContent
		}
		for i := range catalogers {
			if catalogers[i].match(p, mode, size) {
				return catalogers[i].want
			}
		}
		return image.WantNone
	}
}

func isOSFile(p string) bool {
	return (strings.HasPrefix(p, "/etc/") || strings.HasPrefix(p, "/usr/lib/")) && slices.Contains(osFiles, p)
}

// Catalog lists the OS release and the packages in tree. Files that cannot
// be read or decoded become problems; the rest of the tree is still read.
// Packages are sorted by type, name, version and path.
func Catalog(ctx context.Context, tree image.Tree) (*Inventory, []finding.Problem) {
	inv := &Inventory{OS: DetectOS(tree), Packages: []Package{}}
	s := &scan{os: inv.OS}
	var problems []finding.Problem
	earlier := make(map[string][]*image.Entry)
	for _, e := range tree.Removed() {
		if e.Mode.IsRegular() {
			earlier[e.Path] = append(earlier[e.Path], e)
		}
	}

	for _, e := range tree.Entries() {
		if err := ctx.Err(); err != nil {
			problems = append(problems, finding.Problem{
				Path: e.Path, Reason: "cataloguing stopped: " + err.Error(), Kind: "skipped",
			})
			break
		}
		if !e.Mode.IsRegular() {
			continue
		}
		c := findCataloger(e)
		if c == nil {
			continue
		}
		pkgs, err := c.parse(s, e)
		for i := range pkgs {
			completePackage(&pkgs[i], s, e)
		}
		if c.history && len(earlier[e.Path]) > 0 {
			attributeLayers(s, c, pkgs, earlier[e.Path])
		}
		inv.Packages = append(inv.Packages, pkgs...)
		if err != nil {
			problems = append(problems, problemFor(e, c.name, err))
		}
	}

	addDebianLicenses(tree, inv.Packages)
	slices.SortFunc(inv.Packages, comparePackages)
	slices.SortStableFunc(problems, func(a, b finding.Problem) int { return cmp.Compare(a.Path, b.Path) })
	return inv, problems
}

// attributeLayers moves each package to the lowest layer from which every
// version of its database, up to the final one, lists it with the same
// version: the layer that installed or last upgraded it. The database
// file itself is rewritten by every layer that changes any package.
func attributeLayers(s *scan, c *cataloger, pkgs []Package, earlier []*image.Entry) {
	slices.SortFunc(earlier, func(a, b *image.Entry) int { return cmp.Compare(b.LayerIndex, a.LayerIndex) })
	type key struct{ name, version, arch string }
	versions := make([]map[key]bool, len(earlier))
	for i, e := range earlier {
		old, _ := c.parse(s, e)
		versions[i] = make(map[key]bool, len(old))
		for _, p := range old {
			versions[i][key{p.Name, p.Version, p.Arch}] = true
		}
	}
	for i := range pkgs {
		p := &pkgs[i]
		k := key{p.Name, p.Version, p.Arch}
		for j, e := range earlier {
			if e.LayerIndex >= p.LayerIndex {
				continue
			}
			if !versions[j][k] {
				break
			}
			p.LayerIndex, p.LayerDigest = e.LayerIndex, e.LayerDigest
		}
	}
}

func findCataloger(e *image.Entry) *cataloger {
	for i := range catalogers {
		if catalogers[i].match(e.Path, e.Mode, e.Size) {
			return &catalogers[i]
		}
	}
	return nil
}

func problemFor(e *image.Entry, cataloger string, err error) finding.Problem {
	kind := "decode"
	if errors.Is(err, ErrNoContent) || errors.Is(err, fs.ErrNotExist) {
		kind = "read"
	}
	p := finding.Problem{Path: e.Path, Reason: fmt.Sprintf("%s: %v", cataloger, err), Kind: kind}
	var le *LineError
	if errors.As(err, &le) {
		p.Line = le.Line
	}
	return p
}

// completePackage fills the fields every cataloger shares: origin, layer
// and PURL.
func completePackage(p *Package, s *scan, e *image.Entry) {
	if p.Path == "" {
		p.Path = e.Path
	}
	p.LayerIndex = e.LayerIndex
	p.LayerDigest = e.LayerDigest
	if p.PURL == "" {
		p.PURL = packagePURL(p, s.os).String()
	}
	if p.Ecosystem == "" {
		p.Ecosystem = ecosystemOf(p.Type, s.os)
	}
}

func comparePackages(a, b Package) int {
	return cmp.Or(
		cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Version, b.Version),
		cmp.Compare(a.Path, b.Path),
	)
}

// ecosystemOf maps a PURL type to its OSV ecosystem.
func ecosystemOf(typ string, o *OS) string {
	switch typ {
	case "deb", "apk", "rpm":
		if o == nil {
			// Without an OS release the distribution follows from the
			// database, but the release is unknown.
			return map[string]string{"deb": "Debian", "apk": "Alpine"}[typ]
		}
		return o.Ecosystem()
	case "golang":
		return "Go"
	case "npm":
		return "npm"
	case "pypi":
		return "PyPI"
	case "maven":
		return "Maven"
	case "cargo":
		return "crates.io"
	case "gem":
		return "RubyGems"
	case "composer":
		return "Packagist"
	case "nuget":
		return "NuGet"
	}
	return ""
}

// LineError is a decoding error at a line of a text database.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// entryBytes returns the content of e, from memory or its spilled copy.
func entryBytes(e *image.Entry) ([]byte, error) {
	if e.Truncated {
		return nil, fmt.Errorf("%w: %d bytes is over the content cap", ErrNoContent, e.Size)
	}
	if e.Content != nil {
		return e.Content, nil
	}
	if e.Spilled() {
		if e.Size > maxManifestSize {
			return nil, fmt.Errorf("%w: %d bytes is over the %d-byte limit", ErrNoContent,
				e.Size, maxManifestSize)
		}
		r, err := e.OpenSpilled()
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return io.ReadAll(r)
	}
	if e.Size == 0 {
		return []byte{}, nil
	}
	return nil, ErrNoContent
}

// readerAt is random access to an entry's content.
type readerAt interface {
	io.ReaderAt
	io.Closer
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// openEntry gives random access to e through its spilled copy, or to its
// in-memory content. It returns the size of the content.
func openEntry(e *image.Entry) (readerAt, int64, error) {
	if e.Spilled() {
		r, err := e.OpenSpilled()
		if err != nil {
			return nil, 0, err
		}
		return r, r.Size(), nil
	}
	data, err := entryBytes(e)
	if err != nil {
		return nil, 0, err
	}
	return nopCloser{bytes.NewReader(data)}, int64(len(data)), nil
}

// hasSegment reports whether the slash-separated path p contains the
// directory name seg.
func hasSegment(p, seg string) bool {
	return strings.Contains(p, "/"+seg+"/")
}
