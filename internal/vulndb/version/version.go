// Package version compares package versions the way each ecosystem
// defines it: Debian and Ubuntu (dpkg), Alpine (apk), RPM, SemVer 2.0 (npm,
// crates.io), Go modules and toolchains, PEP 440 (PyPI), Maven and
// RubyGems. The vulnerability matcher uses it to place an installed version
// against the events of an advisory range.
package version

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every parse error.
var ErrInvalid = errors.New("invalid version")

// Compare orders two versions of one scheme. It returns -1, 0 or +1, or an
// error naming the version that does not parse.
type Compare func(a, b string) (int, error)

// Scheme is the version syntax and order of one ecosystem.
type Scheme struct {
	// Name is the scheme's short name, such as "debian" or "pep440".
	Name string
	// Validate returns an error when v is not a version of the scheme.
	Validate func(v string) error
	// Compare orders two versions.
	Compare Compare
	// Cached returns a Compare that remembers every version it parsed.
	// It is for one matching run, not for concurrent use.
	Cached func() Compare
}

var (
	// Debian orders dpkg versions: [epoch:]upstream[-revision].
	Debian = newScheme("debian", parseDebian, compareDebian)
	// Alpine orders apk versions such as 1.2.3_rc1-r4.
	Alpine = newScheme("alpine", parseAlpine, compareAlpine)
	// RPM orders [epoch:]version[-release] with rpmvercmp.
	RPM = newScheme("rpm", parseRPM, compareRPM)
	// SemVer orders Semantic Versioning 2.0.0 versions; a leading "v" is
	// accepted and build metadata is ignored.
	SemVer = newScheme("semver", ParseSemVer, CompareSemVer)
	// Go orders module versions (v1.2.3, pseudo-versions, +incompatible)
	// and toolchain versions (go1.22.3, go1.21rc2).
	Go = newScheme("go", parseGo, CompareSemVer)
	// PEP440 orders Python package versions.
	PEP440 = newScheme("pep440", parsePEP440, comparePEP440)
	// Maven orders versions the way Maven's ComparableVersion does.
	Maven = newScheme("maven", parseMaven, compareMaven)
	// RubyGems orders versions the way Gem::Version does.
	RubyGems = newScheme("rubygems", parseGem, compareGem)
)

func newScheme[T any](name string, parse func(string) (T, error), cmp func(a, b T) int) Scheme {
	return Scheme{Name: name, Validate: validateOf(parse), Compare: compareOf(parse, cmp), Cached: cachedOf(parse, cmp)}
}

func validateOf[T any](parse func(string) (T, error)) func(string) error {
	return func(v string) error {
		_, err := parse(v)
		return err
	}
}

func compareOf[T any](parse func(string) (T, error), cmp func(a, b T) int) Compare {
	return func(a, b string) (int, error) {
		va, err := parse(a)
		if err != nil {
			return 0, err
		}
		vb, err := parse(b)
		if err != nil {
			return 0, err
		}
		return cmp(va, vb), nil
	}
}

// ForEcosystem returns the scheme of an OSV ecosystem name. A release
// suffix ("Debian:12", "Alpine:v3.20") is ignored. It returns false for
// ecosystems whose version order is not known.
func ForEcosystem(ecosystem string) (Scheme, bool) {
	base, _, _ := strings.Cut(ecosystem, ":")
	switch base {
	case "Debian", "Ubuntu":
		return Debian, true
	case "Alpine", "Wolfi", "Chainguard", "Alpaquita", "BellSoft Hardened Containers", "MinimOS":
		return Alpine, true
	case "Red Hat", "AlmaLinux", "Rocky Linux", "openSUSE", "SUSE", "Mageia", "openEuler", "Azure Linux", "Photon OS":
		return RPM, true
	case "Go":
		return Go, true
	case "npm", "crates.io", "Hex", "Pub", "NuGet", "SwiftURL", "Packagist":
		return SemVer, true
	case "PyPI":
		return PEP440, true
	case "Maven":
		return Maven, true
	case "RubyGems":
		return RubyGems, true
	}
	return Scheme{}, false
}

func cachedOf[T any](parse func(string) (T, error), cmp func(a, b T) int) func() Compare {
	return func() Compare {
		type result struct {
			v   T
			err error
		}
		seen := map[string]result{}
		get := func(s string) (T, error) {
			r, ok := seen[s]
			if !ok {
				r.v, r.err = parse(s)
				seen[s] = r
			}
			return r.v, r.err
		}
		return func(a, b string) (int, error) {
			va, err := get(a)
			if err != nil {
				return 0, err
			}
			vb, err := get(b)
			if err != nil {
				return 0, err
			}
			return cmp(va, vb), nil
		}
	}
}

func invalid(v, reason string) error {
	return fmt.Errorf("%w %q: %s", ErrInvalid, v, reason)
}

// compareDigits orders two strings of ASCII digits by numeric value without
// converting them, so numbers of any length compare correctly.
func compareDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
