package version

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// NPMRange is a parsed npm version range, such as "^1.2.0 || >=2.0.0 <2.1.0".
// It follows node-semver: X-ranges, tilde, caret and hyphen ranges. A
// pre-release version satisfies a range only when a comparator of the same
// set names a pre-release of the same major.minor.patch.
type NPMRange struct {
	sets [][]npmComparator
}

type npmComparator struct {
	op string // "<", "<=", ">", ">=", "="
	v  SemVerVersion
}

var (
	npmOperatorSpace = regexp.MustCompile(`(<=|>=|<|>|=|~>|~|\^)\s+`)
	npmHyphen        = regexp.MustCompile(`^\s*(\S+)\s+-\s+(\S+)\s*$`)
	npmPartialSyntax = regexp.MustCompile(`^v?(\d+|[xX*])(?:\.(\d+|[xX*])(?:\.(\d+|[xX*])(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)?)?$`)
)

// ParseNPMRange parses an npm range. An empty range or "*" matches every
// release.
func ParseNPMRange(s string) (*NPMRange, error) {
	r := &NPMRange{}
	for _, part := range strings.Split(s, "||") {
		set, err := parseNPMSet(part)
		if err != nil {
			return nil, invalid(s, err.Error())
		}
		r.sets = append(r.sets, set)
	}
	return r, nil
}

func parseNPMSet(s string) ([]npmComparator, error) {
	if m := npmHyphen.FindStringSubmatch(s); m != nil {
		lo, err := parseNPMPartial(m[1])
		if err != nil {
			return nil, err
		}
		hi, err := parseNPMPartial(m[2])
		if err != nil {
			return nil, err
		}
		return append(lo.atLeast(), hi.atMost()...), nil
	}
	var set []npmComparator
	for _, tok := range strings.Fields(npmOperatorSpace.ReplaceAllString(s, "$1")) {
		cs, err := parseNPMComparator(tok)
		if err != nil {
			return nil, err
		}
		set = append(set, cs...)
	}
	if len(set) == 0 {
		set = []npmComparator{{">=", SemVerVersion{Major: "0", Minor: "0", Patch: "0"}}}
	}
	return set, nil
}

func parseNPMComparator(tok string) ([]npmComparator, error) {
	op := ""
	for _, o := range []string{"<=", ">=", "~>", "<", ">", "=", "~", "^"} {
		if strings.HasPrefix(tok, o) {
			op, tok = o, tok[len(o):]
			break
		}
	}
	p, err := parseNPMPartial(tok)
	if err != nil {
		return nil, err
	}
	switch op {
	case "", "=":
		return append(p.atLeast(), p.atMost()...), nil
	case "~", "~>":
		return p.tilde(), nil
	case "^":
		return p.caret(), nil
	case ">=":
		return p.atLeast(), nil
	case "<=":
		return p.atMost(), nil
	case ">":
		return p.greater(), nil
	}
	return p.less(), nil
}

// npmPartial is a version with possibly missing or wildcard parts; n is
// the number of parts given as numbers.
type npmPartial struct {
	nums [3]int
	n    int
	pre  []string
}

func parseNPMPartial(s string) (npmPartial, error) {
	var p npmPartial
	m := matchNPMPartial(s)
	if m == nil {
		return p, errInvalidPart(s)
	}
	for i := 1; i <= 3; i++ {
		if m[i] == "" || m[i] == "x" || m[i] == "X" || m[i] == "*" {
			break
		}
		n, err := strconv.Atoi(m[i])
		if err != nil {
			return p, errInvalidPart(s)
		}
		p.nums[i-1] = n
		p.n = i
	}
	if m[4] != "" {
		if p.n < 3 {
			return p, errInvalidPart(s)
		}
		p.pre = strings.Split(m[4][1:], ".")
	}
	return p, nil
}

func matchNPMPartial(s string) []string {
	if s == "" {
		return []string{"", "*", "", "", "", ""}
	}
	return npmPartialSyntax.FindStringSubmatch(s)
}

func errInvalidPart(s string) error { return fmt.Errorf("invalid version %q in range", s) }

func semverOf(a, b, c int, pre ...string) SemVerVersion {
	return SemVerVersion{Major: strconv.Itoa(a), Minor: strconv.Itoa(b), Patch: strconv.Itoa(c), Pre: pre}
}

func (p npmPartial) lower() SemVerVersion {
	return semverOf(p.nums[0], p.nums[1], p.nums[2], p.pre...)
}

// upperExclusive is the first version past the partial: 1.2 gives 1.3.0-0.
func (p npmPartial) upperExclusive() SemVerVersion {
	switch p.n {
	case 1:
		return semverOf(p.nums[0]+1, 0, 0, "0")
	case 2:
		return semverOf(p.nums[0], p.nums[1]+1, 0, "0")
	}
	return SemVerVersion{}
}

func (p npmPartial) atLeast() []npmComparator {
	return []npmComparator{{">=", p.lower()}}
}

func (p npmPartial) atMost() []npmComparator {
	switch p.n {
	case 0:
		return nil
	case 3:
		return []npmComparator{{"<=", p.lower()}}
	}
	return []npmComparator{{"<", p.upperExclusive()}}
}

func (p npmPartial) greater() []npmComparator {
	switch p.n {
	case 0:
		return []npmComparator{{"<", semverOf(0, 0, 0, "0")}}
	case 3:
		return []npmComparator{{">", p.lower()}}
	}
	return []npmComparator{{">=", p.upperExclusive()}}
}

func (p npmPartial) less() []npmComparator {
	if p.n == 0 {
		return []npmComparator{{"<", semverOf(0, 0, 0, "0")}}
	}
	v := p.lower()
	if p.n < 3 && len(v.Pre) == 0 {
		v.Pre = []string{"0"}
	}
	return []npmComparator{{"<", v}}
}

func (p npmPartial) tilde() []npmComparator {
	lo := npmComparator{">=", p.lower()}
	switch p.n {
	case 0:
		return []npmComparator{lo}
	case 1:
		return []npmComparator{lo, {"<", semverOf(p.nums[0]+1, 0, 0, "0")}}
	}
	return []npmComparator{lo, {"<", semverOf(p.nums[0], p.nums[1]+1, 0, "0")}}
}

// caret allows changes that do not modify the left-most non-zero part.
func (p npmPartial) caret() []npmComparator {
	lo := npmComparator{">=", p.lower()}
	major, minor, patch := p.nums[0], p.nums[1], p.nums[2]
	switch {
	case p.n == 0:
		return []npmComparator{lo}
	case major > 0 || p.n == 1:
		return []npmComparator{lo, {"<", semverOf(major+1, 0, 0, "0")}}
	case minor > 0 || p.n == 2:
		return []npmComparator{lo, {"<", semverOf(0, minor+1, 0, "0")}}
	}
	return []npmComparator{lo, {"<", semverOf(0, 0, patch+1, "0")}}
}

// Contains reports whether version v satisfies the range.
func (r *NPMRange) Contains(v string) (bool, error) {
	sv, err := ParseSemVer(v)
	if err != nil {
		return false, err
	}
	for _, set := range r.sets {
		if npmSetContains(set, sv) {
			return true, nil
		}
	}
	return false, nil
}

func npmSetContains(set []npmComparator, v SemVerVersion) bool {
	for _, c := range set {
		r := CompareSemVer(v, c.v)
		ok := false
		switch c.op {
		case "<":
			ok = r < 0
		case "<=":
			ok = r <= 0
		case ">":
			ok = r > 0
		case ">=":
			ok = r >= 0
		default:
			ok = r == 0
		}
		if !ok {
			return false
		}
	}
	if len(v.Pre) == 0 {
		return true
	}
	// A pre-release only satisfies a set with a pre-release comparator of
	// the same major.minor.patch.
	for _, c := range set {
		if len(c.v.Pre) > 0 && c.v.Major == v.Major && c.v.Minor == v.Minor && c.v.Patch == v.Patch {
			return true
		}
	}
	return false
}
