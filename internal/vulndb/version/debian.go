package version

import (
	"strings"
)

// debianVersion is a dpkg version, described in deb-version(7).
type debianVersion struct {
	epoch    string
	upstream string
	revision string
}

func parseDebian(s string) (debianVersion, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return debianVersion{}, invalid(s, "empty")
	}
	var v debianVersion
	rest := s
	if e, r, ok := strings.Cut(s, ":"); ok {
		if !allDigits(e) {
			return v, invalid(s, "epoch must be a number")
		}
		v.epoch, rest = e, r
	}
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.upstream, v.revision = rest[:i], rest[i+1:]
		if v.revision == "" {
			return v, invalid(s, "empty revision after '-'")
		}
	} else {
		v.upstream = rest
	}
	if v.upstream == "" {
		return v, invalid(s, "empty upstream version")
	}
	if !isDigit(v.upstream[0]) {
		return v, invalid(s, "upstream version must start with a digit")
	}
	for i := 0; i < len(v.upstream); i++ {
		c := v.upstream[i]
		if !isDigit(c) && !isLetter(c) && !strings.ContainsRune(".+~-:", rune(c)) {
			return v, invalid(s, "character "+string(c)+" not allowed in upstream version")
		}
	}
	for i := 0; i < len(v.revision); i++ {
		c := v.revision[i]
		if !isDigit(c) && !isLetter(c) && !strings.ContainsRune(".+~", rune(c)) {
			return v, invalid(s, "character "+string(c)+" not allowed in revision")
		}
	}
	return v, nil
}

func compareDebian(a, b debianVersion) int {
	if c := compareDigits(a.epoch, b.epoch); c != 0 {
		return c
	}
	if c := dpkgCompare(a.upstream, b.upstream); c != 0 {
		return c
	}
	return dpkgCompare(a.revision, b.revision)
}

// dpkgOrder ranks one character of a non-digit run: '~' sorts before the
// end of the string, letters before other characters.
func dpkgOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case isDigit(c):
		return 0
	case isLetter(c):
		return int(c)
	case c == '~':
		return -1
	}
	return int(c) + 256
}

// dpkgCompare compares alternating non-digit and digit runs, as dpkg's
// verrevcmp does. Digit runs compare by numeric value.
func dpkgCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := dpkgOrder(a, i), dpkgOrder(b, j)
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		si := i
		for i < len(a) && isDigit(a[i]) {
			i++
		}
		sj := j
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if c := compareDigits(a[si:min(i, len(a))], b[sj:min(j, len(b))]); c != 0 {
			return c
		}
	}
	return 0
}
