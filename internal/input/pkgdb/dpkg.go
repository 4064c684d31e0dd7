package pkgdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

const (
	dpkgStatus    = "/var/lib/dpkg/status"
	dpkgStatusDir = "/var/lib/dpkg/status.d"
)

func matchDpkg(p string, _ fs.FileMode, _ int64) bool {
	if p == dpkgStatus {
		return true
	}
	// Distroless images write one status stanza per package into
	// status.d, next to the packages' md5sums files.
	name, ok := strings.CutPrefix(p, dpkgStatusDir+"/")
	return ok && name != "" && !strings.Contains(name, "/") && !strings.HasSuffix(name, ".md5sums")
}

func parseDpkgEntry(_ *scan, e *image.Entry) ([]Package, error) {
	data, err := entryBytes(e)
	if err != nil {
		return nil, err
	}
	return ParseDpkgStatus(data)
}

// Stanza is one paragraph of a Debian control file: its fields by name, as
// written, with continuation lines joined by newlines.
type Stanza struct {
	Fields map[string]string
	Line   int // line of the first field
}

// ParseControl splits a Debian control file, such as the dpkg status
// database, into stanzas. It returns the stanzas read before an error.
func ParseControl(data []byte) ([]Stanza, error) {
	var (
		out     []Stanza
		cur     *Stanza
		lastKey string
		lineNo  int
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxManifestSize)
	for sc.Scan() {
		lineNo++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			cur, lastKey = nil, ""
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur == nil || lastKey == "" {
				return out, &LineError{Line: lineNo, Err: errors.New("continuation line outside a field")}
			}
			cur.Fields[lastKey] += "\n" + strings.TrimSpace(line)
			continue
		}
		if line[0] == '#' {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return out, &LineError{Line: lineNo, Err: fmt.Errorf("invalid field line %q: expected \"Name: value\"", truncate(line, 60))}
		}
		if cur == nil {
			out = append(out, Stanza{Fields: map[string]string{}, Line: lineNo})
			cur = &out[len(out)-1]
		}
		lastKey = key
		cur.Fields[key] = strings.TrimSpace(val)
	}
	if err := sc.Err(); err != nil {
		return out, &LineError{Line: lineNo + 1, Err: err}
	}
	return out, nil
}

// ParseDpkgStatus lists the packages of a dpkg status database whose
// files are on disk: every state except not-installed and config-files.
// Source name and version come from the Source field, which is
// "name" or "name (version)", and default to the binary package's.
func ParseDpkgStatus(data []byte) ([]Package, error) {
	stanzas, err := ParseControl(data)
	var pkgs []Package
	for _, s := range stanzas {
		f := s.Fields
		if f["Package"] == "" || f["Version"] == "" || !dpkgFilesPresent(f["Status"]) {
			continue
		}
		p := Package{
			Name:    f["Package"],
			Version: f["Version"],
			Type:    "deb",
			Arch:    f["Architecture"],
		}
		p.SourceName, p.SourceVersion = parseDpkgSource(f["Source"], p.Name, p.Version)
		pkgs = append(pkgs, p)
	}
	return pkgs, err
}

// dpkgFilesPresent reads the third word of "want flag state". Distroless
// status.d stanzas have no Status field and describe installed packages.
func dpkgFilesPresent(status string) bool {
	words := strings.Fields(status)
	if len(words) == 0 {
		return true
	}
	state := words[len(words)-1]
	return state != "not-installed" && state != "config-files"
}

var dpkgSourceField = regexp.MustCompile(`^(\S+)(?:\s+\(([^)]+)\))?`)

func parseDpkgSource(field, name, version string) (string, string) {
	m := dpkgSourceField.FindStringSubmatch(strings.TrimSpace(field))
	if m == nil {
		return name, version
	}
	if m[2] != "" {
		return m[1], strings.TrimSpace(m[2])
	}
	return m[1], version
}

// copyrightLicenses reads the License fields of a machine-readable Debian
// copyright file (DEP-5). Free-form copyright files yield nothing.
func copyrightLicenses(data []byte) []string {
	if !bytes.Contains(data[:min(len(data), 512)], []byte("Format:")) {
		return nil
	}
	var out []string
	for line := range strings.SplitSeq(string(data), "\n") {
		v, ok := strings.CutPrefix(line, "License:")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// addDebianLicenses fills the licences of deb packages from the copyright
// files under /usr/share/doc that the tree kept.
func addDebianLicenses(tree image.Tree, pkgs []Package) {
	for i := range pkgs {
		p := &pkgs[i]
		if p.Type != "deb" || len(p.Licenses) > 0 {
			continue
		}
		e, ok := tree.Resolve("/usr/share/doc/" + p.Name + "/copyright")
		if !ok || !e.Mode.IsRegular() {
			continue
		}
		if data, err := entryBytes(e); err == nil {
			p.Licenses = copyrightLicenses(data)
		}
	}
}

func matchDebianCopyright(p string) bool {
	return strings.HasPrefix(p, "/usr/share/doc/") && strings.HasSuffix(p, "/copyright") &&
		strings.Count(p, "/") == 5
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
