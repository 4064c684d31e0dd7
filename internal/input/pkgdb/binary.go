package pkgdb

import (
	"bytes"
	"compress/zlib"
	"debug/buildinfo"
	"debug/elf"
	"debug/gosym"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

// maxAuditData caps the decompressed cargo-auditable dependency list.
const maxAuditData = 16 << 20

func matchBinary(_ string, mode fs.FileMode, size int64) bool {
	return mode&0o111 != 0 && size >= minBinarySize && size <= maxBinarySize
}

// binaryMagics are the magic numbers of ELF, PE and the four Mach-O forms.
var binaryMagics = [][]byte{
	[]byte("\x7fELF"), []byte("MZ"),
	{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf},
	{0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe},
}

func parseBinaryEntry(_ *scan, e *image.Entry) ([]Package, error) {
	r, size, err := openEntry(e)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return ParseBinary(r, size)
}

// ParseBinary lists the packages recorded in an executable: the Go
// toolchain and modules from Go build information, or the crates that
// cargo-auditable embeds in Rust programs. Files that are neither, such as
// C programs and scripts, yield no packages and no error.
func ParseBinary(r io.ReaderAt, size int64) ([]Package, error) {
	magic := make([]byte, 4)
	if _, err := r.ReadAt(magic, 0); err != nil {
		return nil, nil
	}
	if !slices.ContainsFunc(binaryMagics, func(m []byte) bool { return bytes.HasPrefix(magic, m) }) {
		return nil, nil
	}

	f, err := elf.NewFile(r)
	if err != nil {
		// PE and Mach-O programs: only Go build information is read.
		if bi, err := buildinfo.Read(r); err == nil {
			return goPackages(bi), nil
		}
		return nil, nil
	}

	// The Go linker writes build information into a section of its own,
	// so other ELF programs are recognised without scanning their data.
	// NOTE: Go programs whose section headers were removed (sstrip, some
	// packers) are not recognised.
	if f.Section(".go.buildinfo") != nil {
		bi, err := buildinfo.Read(r)
		if err != nil {
			return nil, fmt.Errorf("reading Go build information: %w", err)
		}
		pkgs := goPackages(bi)
		assignGoSymbols(pkgs, goSymbols(f))
		return pkgs, nil
	}
	if sec := f.Section(".dep-v0"); sec != nil {
		return parseCargoAuditable(sec.Open())
	}
	return nil, nil
}

// goPackages lists the standard library at the toolchain version, the
// main module, marked Main, and every other module, replaced modules under
// their replacement. goMainVersion decides the main module's version, which
// is empty when the binary records none.
func goPackages(bi *buildinfo.BuildInfo) []Package {
	goVersion, _, _ := strings.Cut(bi.GoVersion, " ")
	pkgs := []Package{{Name: "stdlib", Version: goVersion, Type: "golang", GoVersion: goVersion}}
	if bi.Main.Path != "" {
		pkgs = append(pkgs, Package{Name: bi.Main.Path, Version: goMainVersion(bi), Type: "golang",
			GoVersion: goVersion, Main: true})
	}
	for _, m := range bi.Deps {
		if m == nil {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		if m.Path == "" || m.Version == "" || m.Version == "(devel)" {
			continue
		}
		pkgs = append(pkgs, Package{Name: m.Path, Version: m.Version, Type: "golang", GoVersion: goVersion})
	}
	return pkgs
}

// goSymbols lists the functions of a Go ELF binary from its pclntab, which
// stripped binaries keep, or else from the symbol table. A malformed table
// yields no symbols.
func goSymbols(f *elf.File) (names []string) {
	// NOTE: debug/gosym trusts the offsets inside a pclntab, so a crafted
	// one can make it panic; that costs the symbols, not the scan.
	defer func() {
		if recover() != nil {
			names = nil
		}
	}()

	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln != nil && text != nil {
		if data, err := pcln.Data(); err == nil && plausiblePCLNTab(data, f.ByteOrder) {
			if tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr)); err == nil {
				for _, fn := range tab.Funcs {
					names = append(names, fn.Name)
				}
			}
		}
	}
	if len(names) == 0 {
		syms, _ := f.Symbols()
		for _, s := range syms {
			if elf.ST_TYPE(s.Info) == elf.STT_FUNC {
				names = append(names, s.Name)
			}
		}
	}
	return names
}

// plausiblePCLNTab checks the function and file counts in a pclntab
// header against the table's size. debug/gosym allocates by these counts
// before reading the entries, so a crafted count would exhaust memory, a
// fatal error that recover cannot stop.
func plausiblePCLNTab(data []byte, order binary.ByteOrder) bool {
	if len(data) < 16 {
		return false
	}
	ptrSize := int(data[7])
	if ptrSize != 4 && ptrSize != 8 || len(data) < 8+2*ptrSize {
		return false
	}
	word := func(off int) uint64 {
		if ptrSize == 4 {
			return uint64(order.Uint32(data[off:]))
		}
		return order.Uint64(data[off:])
	}

	// Each function has at least an 8-byte function table entry. Since Go
	// 1.16 the header also counts files, each with at least a 4-byte
	// offset; before, the function table follows the function count.
	limit := uint64(len(data))
	if word(8) > limit/8 {
		return false
	}
	switch order.Uint32(data) {
	case 0xfffffffa, 0xfffffff0, 0xfffffff1: // Go 1.16, 1.18, 1.20 and later
		return word(8+ptrSize) <= limit/4
	}
	return true
}

// assignGoSymbols gives each module the functions of its packages, as
// "package.Function" or "package.Type.Method", and the standard library
// the functions of packages whose path has no dot in its first element.
func assignGoSymbols(pkgs []Package, names []string) {
	byModule := make(map[int]map[string]bool)
	for _, raw := range names {
		pkg, fn, ok := splitGoSymbol(raw)
		if !ok {
			continue
		}
		i := goModuleIndex(pkgs, pkg)
		if i < 0 {
			continue
		}
		if byModule[i] == nil {
			byModule[i] = make(map[string]bool)
		}
		byModule[i][pkg+"."+fn] = true
	}
	for i, set := range byModule {
		syms := make([]string, 0, len(set))
		for s := range set {
			syms = append(syms, s)
		}
		slices.Sort(syms)
		pkgs[i].Symbols = syms
	}
}

// splitGoSymbol splits "golang.org/x/text/language.(*Tag).String" into
// the package path and "Tag.String", dropping type parameters.
func splitGoSymbol(name string) (string, string, bool) {
	if strings.HasPrefix(name, "type:") || strings.HasPrefix(name, "go:") {
		return "", "", false
	}
	name = stripTypeArgs(name)
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot < 0 {
		return "", "", false
	}
	pkg, fn := name[:slash+1+dot], name[slash+2+dot:]
	fn = strings.NewReplacer("(*", "", ")", "").Replace(fn)
	if fn == "" {
		return "", "", false
	}
	return pkg, fn, true
}

// stripTypeArgs removes the bracketed type arguments of generic functions
// and types, such as "[...]" or "[go.shape.int]", which may contain
// slashes and dots of their own.
func stripTypeArgs(name string) string {
	if !strings.Contains(name, "[") {
		return name
	}
	var b strings.Builder
	depth := 0
	for _, r := range name {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func goModuleIndex(pkgs []Package, pkg string) int {
	first, _, _ := strings.Cut(pkg, "/")
	if !strings.Contains(first, ".") {
		if first == "main" {
			return -1
		}
		return 0 // stdlib is always first
	}
	best := -1
	for i := 1; i < len(pkgs); i++ {
		m := pkgs[i].Name
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && (best < 0 || len(m) > len(pkgs[best].Name)) {
			best = i
		}
	}
	return best
}

// cargoAudit is the dependency list cargo-auditable writes, zlib
// compressed, into the .dep-v0 section.
type cargoAudit struct {
	Packages []struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Source  string `json:"source"`
		Kind    string `json:"kind"`
		Root    bool   `json:"root"`
	} `json:"packages"`
}

// parseCargoAuditable lists the crates of a cargo-auditable section.
// Build-time dependencies are not in the program and local crates are not
// from a registry, so both are left out.
func parseCargoAuditable(r io.Reader) ([]Package, error) {
	zr, err := zlib.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("decompressing .dep-v0 section: %w", err)
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, maxAuditData+1))
	if err != nil {
		return nil, fmt.Errorf("decompressing .dep-v0 section: %w", err)
	}
	if len(data) > maxAuditData {
		return nil, fmt.Errorf(".dep-v0 section is over %d bytes decompressed", maxAuditData)
	}
	return parseCargoAuditJSON(data)
}

func parseCargoAuditJSON(data []byte) ([]Package, error) {
	var audit cargoAudit
	if err := json.Unmarshal(data, &audit); err != nil {
		return nil, fmt.Errorf("decoding .dep-v0 section: %w", err)
	}
	var pkgs []Package
	for _, p := range audit.Packages {
		if p.Kind == "build" || p.Source == "local" {
			continue
		}
		if p.Name == "" || p.Version == "" {
			return pkgs, errors.New("decoding .dep-v0 section: package without name or version")
		}
		pkgs = append(pkgs, Package{Name: p.Name, Version: p.Version, Type: "cargo"})
	}
	return pkgs, nil
}
