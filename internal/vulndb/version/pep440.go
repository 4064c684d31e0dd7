package version

import (
	"regexp"
	"strings"
)

// pep440Pattern is the permissive form of PEP 440: alternative spellings
// and separators are accepted and normalised.
var pep440Pattern = regexp.MustCompile(`^v?` +
	`(?:(?P<epoch>[0-9]+)!)?` +
	`(?P<release>[0-9]+(?:\.[0-9]+)*)` +
	`(?:[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?` +
	`(?:-(?P<post_n1>[0-9]+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?)?` +
	`(?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?` +
	`(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$`)

// pep440Version holds the comparison key of a PEP 440 version.
type pep440Version struct {
	epoch   string
	release []string // trailing zeros removed
	// preRank orders the pre-release phase: -1 for a bare dev release
	// (1.0.dev1 sorts before 1.0a1), 0 to 2 for a, b and rc, 3 for none.
	preRank int
	preNum  string
	hasPost bool
	postNum string
	hasDev  bool
	devNum  string
	local   []string
}

func parsePEP440(s string) (pep440Version, error) {
	m := pep440Pattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return pep440Version{}, invalid(s, "not a PEP 440 version")
	}
	g := func(name string) string { return m[pep440Pattern.SubexpIndex(name)] }

	v := pep440Version{epoch: g("epoch"), preRank: 3}
	v.release = strings.Split(g("release"), ".")
	for len(v.release) > 1 && strings.Trim(v.release[len(v.release)-1], "0") == "" {
		v.release = v.release[:len(v.release)-1]
	}
	switch g("pre_l") {
	case "a", "alpha":
		v.preRank = 0
	case "b", "beta":
		v.preRank = 1
	case "c", "rc", "pre", "preview":
		v.preRank = 2
	}
	v.preNum = g("pre_n")
	if g("post_n1") != "" || g("post_l") != "" {
		v.hasPost = true
		v.postNum = g("post_n1") + g("post_n2")
	}
	if g("dev_l") != "" {
		v.hasDev = true
		v.devNum = g("dev_n")
	}
	if v.preRank == 3 && !v.hasPost && v.hasDev {
		v.preRank = -1
	}
	if l := g("local"); l != "" {
		v.local = strings.FieldsFunc(l, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	}
	return v, nil
}

func comparePEP440(a, b pep440Version) int {
	if c := compareDigits(a.epoch, b.epoch); c != 0 {
		return c
	}
	for i := 0; i < len(a.release) || i < len(b.release); i++ {
		if c := compareDigits(at(a.release, i), at(b.release, i)); c != 0 {
			return c
		}
	}
	if c := sign(a.preRank - b.preRank); c != 0 {
		return c
	}
	if c := compareDigits(a.preNum, b.preNum); c != 0 {
		return c
	}
	if c := compareOptional(a.hasPost, b.hasPost, a.postNum, b.postNum, false); c != 0 {
		return c
	}
	if c := compareOptional(a.hasDev, b.hasDev, a.devNum, b.devNum, true); c != 0 {
		return c
	}
	return compareLocal(a.local, b.local)
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "0"
}

// compareOptional orders an optional numbered segment. A missing post
// segment sorts first; a missing dev segment sorts last.
func compareOptional(hasA, hasB bool, a, b string, missingIsGreatest bool) int {
	switch {
	case hasA && hasB:
		return compareDigits(a, b)
	case !hasA && !hasB:
		return 0
	case hasA == missingIsGreatest:
		return -1
	}
	return 1
}

// compareLocal orders local version labels: none sorts first, numeric
// segments sort above alphanumeric ones, and a longer label wins a tie.
func compareLocal(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		na, nb := allDigits(a[i]), allDigits(b[i])
		var c int
		switch {
		case na && nb:
			c = compareDigits(a[i], b[i])
		case na:
			c = 1
		case nb:
			c = -1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return sign(len(a) - len(b))
}
