package version

import (
	"strings"
)

// parseGo reads a Go module version (v1.2.3, v0.0.0-20210101000000-abcdef
// pseudo-versions, v2.0.0+incompatible), the same without "v" as OSV
// writes it, or a toolchain version (go1.22.3, go1.21rc2, go1.20). Pseudo-
// versions are pre-releases and +incompatible is build metadata, so both
// order correctly under SemVer.
func parseGo(s string) (SemVerVersion, error) {
	if strings.HasPrefix(s, "go") {
		return parseGoToolchain(s)
	}
	return ParseSemVer(s)
}

// parseGoToolchain converts a Go release name to SemVer the way the Go
// vulnerability database writes stdlib ranges: go1.21 is 1.21.0, go1.21rc2
// is 1.21.0-rc.2 and go1.19beta1 is 1.19.0-beta.1.
func parseGoToolchain(s string) (SemVerVersion, error) {
	rest := strings.TrimPrefix(s, "go")
	// A toolchain built from a development tree reports "devel ...".
	if rest == "" || !isDigit(rest[0]) {
		return SemVerVersion{}, invalid(s, "not a Go release")
	}
	// Strip an experiment or distribution suffix such as
	// "go1.22.3 X:nocoverageredesign" or "go1.21.0-bigcorp".
	if i := strings.IndexAny(rest, " -+"); i >= 0 {
		rest = rest[:i]
	}
	pre := ""
	for _, kind := range []string{"rc", "beta", "alpha"} {
		if i := strings.Index(rest, kind); i >= 0 {
			num := rest[i+len(kind):]
			if !allDigits(num) {
				return SemVerVersion{}, invalid(s, "invalid "+kind+" number")
			}
			pre = kind + "." + num
			rest = rest[:i]
			break
		}
	}
	parts := strings.Split(rest, ".")
	if len(parts) > 3 {
		return SemVerVersion{}, invalid(s, "too many components")
	}
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	v := strings.Join(parts, ".")
	if pre != "" {
		v += "-" + pre
	}
	out, err := ParseSemVer(v)
	if err != nil {
		return SemVerVersion{}, invalid(s, "not a Go release")
	}
	return out, nil
}
