package version

import (
	"regexp"
	"strings"
)

// gemPattern is the version syntax Gem::Version accepts.
var gemPattern = regexp.MustCompile(`^[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

var gemSegment = regexp.MustCompile(`[0-9]+|[a-zA-Z]+`)

// gemVersion is the list of canonical segments of a RubyGems version;
// numbers are digit strings, and letters mark a pre-release.
type gemVersion []gemPart

type gemPart struct {
	text    string
	numeric bool
}

func parseGem(s string) (gemVersion, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = "0"
	}
	if !gemPattern.MatchString(s) {
		return nil, invalid(s, "not a RubyGems version")
	}
	// Gem::Version reads "-" as the start of a pre-release.
	s = strings.ReplaceAll(s, "-", ".pre.")
	var parts gemVersion
	for _, seg := range gemSegment.FindAllString(s, -1) {
		parts = append(parts, gemPart{text: seg, numeric: isDigit(seg[0])})
	}
	return canonicalGem(parts), nil
}

// canonicalGem drops zeros that stand right before a letter segment or at
// the end, so 1.0.0 equals 1 and 1.0.a equals 1.a.
func canonicalGem(parts gemVersion) gemVersion {
	var out gemVersion
	var group gemVersion
	flush := func() {
		for len(group) > 0 {
			last := group[len(group)-1]
			if !last.numeric || strings.TrimLeft(last.text, "0") != "" {
				break
			}
			group = group[:len(group)-1]
		}
		out = append(out, group...)
		group = nil
	}
	for i, p := range parts {
		if i > 0 && !p.numeric {
			flush()
		}
		group = append(group, p)
	}
	flush()
	return out
}

func compareGem(a, b gemVersion) int {
	zero := gemPart{text: "0", numeric: true}
	for i := 0; i < len(a) || i < len(b); i++ {
		l, r := zero, zero
		if i < len(a) {
			l = a[i]
		}
		if i < len(b) {
			r = b[i]
		}
		switch {
		case l.numeric && r.numeric:
			if c := compareDigits(l.text, r.text); c != 0 {
				return c
			}
		case l.numeric:
			return 1
		case r.numeric:
			return -1
		default:
			if c := strings.Compare(l.text, r.text); c != 0 {
				return c
			}
		}
	}
	return 0
}
