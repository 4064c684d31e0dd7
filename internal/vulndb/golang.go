package vulndb

import (
	"regexp"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/input/pkgdb"
)

// goBinary is what the inventory records of one Go binary: the toolchain
// that built it and the functions linked into it.
type goBinary struct {
	goVersion   string
	symbols     map[string]struct{}
	hasStdlib   bool
	layerIndex  int
	layerDigest string
}

// goBinaries groups the Go packages of an inventory by the binary (path)
// they were found in.
func goBinaries(pkgs []pkgdb.Package) map[string]*goBinary {
	bins := map[string]*goBinary{}
	for _, p := range pkgs {
		if p.Type != "golang" {
			continue
		}
		b := bins[p.Path]
		if b == nil {
			b = &goBinary{symbols: map[string]struct{}{}, layerIndex: p.LayerIndex, layerDigest: p.LayerDigest}
			bins[p.Path] = b
		}
		if p.GoVersion != "" {
			b.goVersion = p.GoVersion
		}
		if p.Name == "stdlib" {
			b.hasStdlib = true
		}
		for _, s := range p.Symbols {
			addSymbol(b.symbols, s)
		}
	}
	return bins
}

var genericArgs = regexp.MustCompile(`\[[^\]]*\]`)

var closureSuffix = regexp.MustCompile(`\.(func|gowrap|deferwrap)\d+(\.\d+)*$`)

// addSymbol stores a linked function under the spelling the Go
// vulnerability database uses, "pkg.Func" or "pkg.Type.Method": pointer
// receivers and type arguments are dropped, and a closure also counts for
// the function that contains it.
func addSymbol(set map[string]struct{}, s string) {
	s = strings.NewReplacer("(*", "", ")", "").Replace(s)
	s = genericArgs.ReplaceAllString(s, "")
	set[s] = struct{}{}
	if t := closureSuffix.ReplaceAllString(s, ""); t != s {
		set[t] = struct{}{}
	}
}

// withStdlib adds a "stdlib" package for every Go binary that names its
// toolchain but has no stdlib package of its own, so standard library
// advisories are matched against the toolchain version.
func withStdlib(pkgs []pkgdb.Package, bins map[string]*goBinary) []pkgdb.Package {
	var extra []pkgdb.Package
	for path, b := range bins {
		if b.hasStdlib || b.goVersion == "" {
			continue
		}
		extra = append(extra, pkgdb.Package{
			Name: "stdlib", Version: b.goVersion, Type: "golang", Ecosystem: "Go",
			PURL: "pkg:golang/stdlib@" + b.goVersion, Path: path,
			LayerIndex: b.layerIndex, LayerDigest: b.layerDigest, GoVersion: b.goVersion,
		})
	}
	if len(extra) == 0 {
		return pkgs
	}
	slices.SortFunc(extra, func(a, b pkgdb.Package) int { return strings.Compare(a.Path, b.Path) })
	return append(slices.Clip(pkgs), extra...)
}

// goTargetOS is the system of the binaries dockward finds: images and root
// file systems of Linux containers.
// NOTE: a Windows container image would need the binary's GOOS instead.
const goTargetOS = "linux"

// platformExcluded reports whether every vulnerable package of a Go
// advisory is limited to other systems or architectures than the
// binary's, as for a Windows-only flaw in a Linux binary. arch is the
// binary's GOARCH, or empty when unknown.
func platformExcluded(e *Entry, arch string) bool {
	if len(e.Imports) == 0 {
		return false
	}
	for _, imp := range e.Imports {
		osOK := len(imp.GOOS) == 0 || slices.Contains(imp.GOOS, goTargetOS)
		archOK := len(imp.GOARCH) == 0 || arch == "" || slices.Contains(imp.GOARCH, arch)
		if osOK && archOK {
			return false
		}
	}
	return true
}

// reachability reports whether the vulnerable symbols of a Go advisory are
// linked into the binary, and returns those that are.
func reachability(e *Entry, bin *goBinary) (string, []string) {
	if bin == nil || len(bin.symbols) == 0 || len(e.Imports) == 0 {
		return ReachabilityUnknown, nil
	}
	var found []string
	for _, imp := range e.Imports {
		if len(imp.Symbols) == 0 {
			// The whole package is vulnerable: any function of it counts.
			prefix := imp.Path + "."
			for s := range bin.symbols {
				if strings.HasPrefix(s, prefix) && !strings.Contains(s[len(prefix):], "/") {
					found = append(found, imp.Path)
					break
				}
			}
			continue
		}
		for _, sym := range imp.Symbols {
			full := imp.Path + "." + sym
			if _, ok := bin.symbols[full]; ok {
				found = append(found, full)
			}
		}
	}
	if len(found) == 0 {
		return SymbolNotLinked, nil
	}
	slices.Sort(found)
	return SymbolPresent, slices.Compact(found)
}
