package version

import (
	"strings"
)

// SemVerVersion is a parsed Semantic Versioning 2.0.0 version. Numbers are
// kept as digit strings so that versions of any size compare correctly.
type SemVerVersion struct {
	Major, Minor, Patch string
	Pre                 []string
	Build               string
}

// ParseSemVer parses MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]. A leading "v"
// is accepted. Missing minor and patch numbers are rejected, because a
// SemVer range event always names all three.
func ParseSemVer(s string) (SemVerVersion, error) {
	orig := s
	s = strings.TrimPrefix(s, "v")
	var v SemVerVersion
	if i := strings.IndexByte(s, '+'); i >= 0 {
		v.Build = s[i+1:]
		s = s[:i]
		if v.Build == "" || !validIdentifiers(v.Build) {
			return v, invalid(orig, "invalid build metadata")
		}
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		pre := s[i+1:]
		s = s[:i]
		if pre == "" || !validIdentifiers(pre) {
			return v, invalid(orig, "invalid pre-release")
		}
		v.Pre = strings.Split(pre, ".")
		for _, id := range v.Pre {
			if allDigits(id) && len(id) > 1 && id[0] == '0' {
				return v, invalid(orig, "numeric pre-release identifier with a leading zero")
			}
		}
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return v, invalid(orig, "expected MAJOR.MINOR.PATCH")
	}
	for _, p := range parts {
		if !allDigits(p) {
			return v, invalid(orig, "version numbers must be digits")
		}
		if len(p) > 1 && p[0] == '0' {
			return v, invalid(orig, "version number with a leading zero")
		}
	}
	v.Major, v.Minor, v.Patch = parts[0], parts[1], parts[2]
	return v, nil
}

func validIdentifiers(s string) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for i := 0; i < len(id); i++ {
			if !isAlnum(id[i]) && id[i] != '-' {
				return false
			}
		}
	}
	return true
}

// CompareSemVer orders two versions by precedence: numbers, then
// pre-release identifiers; build metadata does not count.
func CompareSemVer(a, b SemVerVersion) int {
	for _, p := range [][2]string{{a.Major, b.Major}, {a.Minor, b.Minor}, {a.Patch, b.Patch}} {
		if c := compareDigits(p[0], p[1]); c != 0 {
			return c
		}
	}
	switch {
	case len(a.Pre) == 0 && len(b.Pre) == 0:
		return 0
	case len(a.Pre) == 0:
		return 1
	case len(b.Pre) == 0:
		return -1
	}
	for i := 0; i < len(a.Pre) && i < len(b.Pre); i++ {
		if c := comparePreIdentifier(a.Pre[i], b.Pre[i]); c != 0 {
			return c
		}
	}
	return sign(len(a.Pre) - len(b.Pre))
}

// comparePreIdentifier orders numeric identifiers numerically and below
// alphanumeric ones, which compare in ASCII order.
func comparePreIdentifier(a, b string) int {
	na, nb := allDigits(a), allDigits(b)
	switch {
	case na && nb:
		return compareDigits(a, b)
	case na:
		return -1
	case nb:
		return 1
	}
	return strings.Compare(a, b)
}
