package version

import (
	"strings"
)

// rpmVersion is an RPM [epoch:]version[-release].
type rpmVersion struct {
	epoch   string
	version string
	release string
}

func parseRPM(s string) (rpmVersion, error) {
	s = strings.TrimSpace(s)
	var v rpmVersion
	rest := s
	if e, r, ok := strings.Cut(s, ":"); ok {
		if !allDigits(e) {
			return v, invalid(s, "epoch must be a number")
		}
		v.epoch, rest = e, r
	}
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.version, v.release = rest[:i], rest[i+1:]
	} else {
		v.version = rest
	}
	if v.version == "" {
		return v, invalid(s, "empty version")
	}
	return v, nil
}

// compareRPM compares epochs, versions and, when both sides have one,
// releases: a version without release matches every release, as in rpm's
// own dependency ranges.
func compareRPM(a, b rpmVersion) int {
	if c := compareDigits(a.epoch, b.epoch); c != 0 {
		return c
	}
	if c := rpmvercmp(a.version, b.version); c != 0 {
		return c
	}
	if a.release == "" || b.release == "" {
		return 0
	}
	return rpmvercmp(a.release, b.release)
}

func isAlnum(c byte) bool { return isDigit(c) || isLetter(c) }

// rpmvercmp compares alternating digit and letter segments. Other
// characters only separate segments; '~' sorts before anything, even the
// end of the string, and '^' sorts after the end but before anything else.
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	for len(a) > 0 || len(b) > 0 {
		a = strings.TrimLeftFunc(a, rpmSeparator)
		b = strings.TrimLeftFunc(b, rpmSeparator)

		if strings.HasPrefix(a, "~") || strings.HasPrefix(b, "~") {
			if !strings.HasPrefix(a, "~") {
				return 1
			}
			if !strings.HasPrefix(b, "~") {
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		if strings.HasPrefix(a, "^") || strings.HasPrefix(b, "^") {
			switch {
			case a == "":
				return -1
			case b == "":
				return 1
			case !strings.HasPrefix(a, "^"):
				return 1
			case !strings.HasPrefix(b, "^"):
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		if a == "" || b == "" {
			break
		}

		numeric := isDigit(a[0])
		segA, segB := rpmSegment(a, numeric), rpmSegment(b, numeric)
		a, b = a[len(segA):], b[len(segB):]
		if segB == "" {
			// Segments of different types: a number is newer than letters.
			if numeric {
				return 1
			}
			return -1
		}
		var c int
		if numeric {
			c = compareDigits(segA, segB)
		} else {
			c = strings.Compare(segA, segB)
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a != "":
		return 1
	}
	return -1
}

func rpmSeparator(r rune) bool {
	return r < 128 && !isAlnum(byte(r)) && r != '~' && r != '^' || r >= 128
}

func rpmSegment(s string, numeric bool) string {
	n := 0
	for n < len(s) && (numeric && isDigit(s[n]) || !numeric && isLetter(s[n])) {
		n++
	}
	return s[:n]
}
