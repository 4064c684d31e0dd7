//go:build generate

// Command gen writes the syscall table of package syscalls from two real
// sources: the per-architecture zsysnum_linux_*.go files of
// golang.org/x/sys/unix, found in the module cache through `go list`, and the
// libseccomp that is installed on the machine (its header lists every name it
// knows, and seccomp_syscall_resolve_name_arch gives the number per
// architecture). x/sys lacks x32, mips64n32, s390 and parisc, and libseccomp
// releases lag behind new syscalls and architectures (loongarch64), so the
// table is the union, with the sources of each entry recorded.
//
// Run it with `go generate ./internal/syscalls` on a Linux machine with cgo,
// a C compiler and libseccomp's development files (Debian: libseccomp-dev).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// xsysArches maps GOARCH suffixes of the x/sys tables to seccomp names.
var xsysArches = map[string]string{
	"386":      "SCMP_ARCH_X86",
	"amd64":    "SCMP_ARCH_X86_64",
	"arm":      "SCMP_ARCH_ARM",
	"arm64":    "SCMP_ARCH_AARCH64",
	"loong64":  "SCMP_ARCH_LOONGARCH64",
	"mips":     "SCMP_ARCH_MIPS",
	"mipsle":   "SCMP_ARCH_MIPSEL",
	"mips64":   "SCMP_ARCH_MIPS64",
	"mips64le": "SCMP_ARCH_MIPSEL64",
	"ppc":      "SCMP_ARCH_PPC",
	"ppc64":    "SCMP_ARCH_PPC64",
	"ppc64le":  "SCMP_ARCH_PPC64LE",
	"riscv64":  "SCMP_ARCH_RISCV64",
	"s390x":    "SCMP_ARCH_S390X",
}

// seccompArches maps seccomp names to libseccomp's architecture names.
var seccompArches = map[string]string{
	"SCMP_ARCH_X86":         "x86",
	"SCMP_ARCH_X86_64":      "x86_64",
	"SCMP_ARCH_X32":         "x32",
	"SCMP_ARCH_ARM":         "arm",
	"SCMP_ARCH_AARCH64":     "aarch64",
	"SCMP_ARCH_MIPS":        "mips",
	"SCMP_ARCH_MIPSEL":      "mipsel",
	"SCMP_ARCH_MIPS64":      "mips64",
	"SCMP_ARCH_MIPSEL64":    "mipsel64",
	"SCMP_ARCH_MIPS64N32":   "mips64n32",
	"SCMP_ARCH_MIPSEL64N32": "mipsel64n32",
	"SCMP_ARCH_PPC":         "ppc",
	"SCMP_ARCH_PPC64":       "ppc64",
	"SCMP_ARCH_PPC64LE":     "ppc64le",
	"SCMP_ARCH_S390":        "s390",
	"SCMP_ARCH_S390X":       "s390x",
	"SCMP_ARCH_PARISC":      "parisc",
	"SCMP_ARCH_PARISC64":    "parisc64",
	"SCMP_ARCH_RISCV64":     "riscv64",
	"SCMP_ARCH_LOONGARCH64": "loongarch64",
}

const (
	fromXSys       = 1
	fromLibseccomp = 2
	fromSibling    = 4
)

// siblings lists, for each ABI that x/sys has no table of, the x/sys ABI
// whose numbers from 424 on it shares, and the base number of both. Since
// Linux 5.1 (pidfd_send_signal, 424) every architecture numbers new
// syscalls alike, apart from each ABI's base, so a syscall that libseccomp
// is too old to know can still be placed.
var siblings = map[string]struct {
	from               string
	fromBase, thisBase int
}{
	"SCMP_ARCH_X32":         {"SCMP_ARCH_X86_64", 0, 0x40000000},
	"SCMP_ARCH_MIPS64N32":   {"SCMP_ARCH_MIPS64", 5000, 6000},
	"SCMP_ARCH_MIPSEL64N32": {"SCMP_ARCH_MIPSEL64", 5000, 6000},
	"SCMP_ARCH_S390":        {"SCMP_ARCH_S390X", 0, 0},
	"SCMP_ARCH_PARISC":      {"SCMP_ARCH_AARCH64", 0, 0},
	"SCMP_ARCH_PARISC64":    {"SCMP_ARCH_AARCH64", 0, 0},
}

// firstCommon is the first syscall number that all architectures share.
const firstCommon = 424

// addSiblings fills the ABIs that x/sys lacks with the common syscalls of
// their sibling ABI.
func addSiblings(tables map[string]map[string]entry) {
	for arch, sib := range siblings {
		t := tables[arch]
		if t == nil {
			t = make(map[string]entry)
			tables[arch] = t
		}
		for name, e := range tables[sib.from] {
			n := e.nr - sib.fromBase
			if e.sources&fromXSys == 0 || n < firstCommon {
				continue
			}
			if _, ok := t[name]; !ok {
				t[name] = entry{nr: sib.thisBase + n, sources: fromSibling}
			}
		}
	}
}

type entry struct {
	nr      int
	sources int
}

func main() {
	out := flag.String("o", "table.go", "output file")
	header := flag.String("header", "/usr/include/seccomp-syscalls.h", "libseccomp syscall header")
	flag.Parse()

	dir, xsysVersion, err := moduleDir("golang.org/x/sys")
	if err != nil {
		log.Fatal(err)
	}
	tables := make(map[string]map[string]entry)
	for goarch, arch := range xsysArches {
		path := filepath.Join(dir, "unix", "zsysnum_linux_"+goarch+".go")
		nums, err := readXSys(path)
		if err != nil {
			log.Fatal(err)
		}
		t := make(map[string]entry, len(nums))
		for name, nr := range nums {
			t[name] = entry{nr: nr, sources: fromXSys}
		}
		tables[arch] = t
	}

	names, err := readHeaderNames(*header)
	if err != nil {
		log.Fatal(err)
	}
	mismatches := 0
	for arch, libArch := range seccompArches {
		token := archToken(libArch)
		if token == 0 {
			log.Printf("libseccomp %s does not know architecture %s", libseccompVersion(), libArch)
			continue
		}
		t := tables[arch]
		if t == nil {
			t = make(map[string]entry)
			tables[arch] = t
		}
		for _, name := range names {
			nr, ok := resolve(token, name)
			if !ok {
				continue
			}
			e, seen := t[name]
			if seen && e.nr != nr {
				mismatches++
			}
			if !seen {
				e.nr = nr
			}
			e.sources |= fromLibseccomp
			t[name] = e
		}
	}
	if mismatches > 0 {
		log.Printf("%d numbers differ between the sources; x/sys numbers are kept", mismatches)
	}

	addSiblings(tables)
	src := render(tables, xsysVersion, libseccompVersion())
	formatted, err := format.Source(src)
	if err != nil {
		log.Fatalf("formatting generated code: %v", err)
	}
	if err := os.WriteFile(*out, formatted, 0o644); err != nil {
		log.Fatal(err)
	}
}

// moduleDir returns the module cache directory and version of a module
// that the main module requires.
func moduleDir(path string) (dir, version string, err error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", path)
	b, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("locating module %s: %w", path, err)
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 || fields[0] == "" {
		return "", "", fmt.Errorf("module %s is not in the module cache: run go mod download", path)
	}
	return fields[0], fields[1], nil
}

// readXSys parses the SYS_ constants of one zsysnum file.
func readXSys(path string) (map[string]int, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	nums := make(map[string]int)
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, id := range vs.Names {
				if !strings.HasPrefix(id.Name, "SYS_") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					return nil, fmt.Errorf("%s: %s is not a literal", path, id.Name)
				}
				nr, err := strconv.ParseInt(lit.Value, 0, 64)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %w", path, id.Name, err)
				}
				nums[strings.ToLower(strings.TrimPrefix(id.Name, "SYS_"))] = int(nr)
			}
		}
	}
	if len(nums) == 0 {
		return nil, fmt.Errorf("%s: no SYS_ constants", path)
	}
	return nums, nil
}

var snrPattern = regexp.MustCompile(`(?m)^#define __SNR_(\w+)\s`)

// readHeaderNames lists every syscall name libseccomp's header defines.
func readHeaderNames(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading libseccomp header (install libseccomp-dev): %w", err)
	}
	var names []string
	for _, m := range snrPattern.FindAllSubmatch(b, -1) {
		names = append(names, string(m[1]))
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

func render(tables map[string]map[string]entry, xsysVersion, libVersion string) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/gen (go generate ./internal/syscalls); DO NOT EDIT.\n\n")
	b.WriteString("package syscalls\n\n")
	fmt.Fprintf(&b, "// XSysVersion is the golang.org/x/sys version whose unix/zsysnum_linux_*.go\n"+
		"// files the table was generated from.\nconst XSysVersion = %q\n\n", xsysVersion)
	fmt.Fprintf(&b, "// LibseccompVersion is the libseccomp version whose syscall resolver the\n"+
		"// table was generated from.\nconst LibseccompVersion = %q\n\n", libVersion)
	b.WriteString("var tables = map[Arch][]Entry{\n")
	arches := make([]string, 0, len(tables))
	for a := range tables {
		arches = append(arches, a)
	}
	slices.Sort(arches)
	for _, a := range arches {
		fmt.Fprintf(&b, "%q: {\n", a)
		names := make([]string, 0, len(tables[a]))
		for n := range tables[a] {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			e := tables[a][n]
			fmt.Fprintf(&b, "{%q, %d, %s},\n", n, e.nr, sourceExpr(e.sources))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func sourceExpr(s int) string {
	var parts []string
	for _, src := range []struct {
		bit  int
		name string
	}{{fromXSys, "FromXSys"}, {fromLibseccomp, "FromLibseccomp"}, {fromSibling, "FromSibling"}} {
		if s&src.bit != 0 {
			parts = append(parts, src.name)
		}
	}
	return strings.Join(parts, " | ")
}
