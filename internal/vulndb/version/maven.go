package version

import (
	"strings"
)

// mavenItem is one element of a Maven version: a number, a qualifier or a
// nested list that starts at '-' or at a change between digits and
// letters. It mirrors the model of Maven's ComparableVersion.
type mavenItem struct {
	kind  mavenKind
	value string // digits for numbers, the normalised qualifier for strings
	list  []mavenItem
}

type mavenKind int

const (
	mavenInt mavenKind = iota
	mavenString
	mavenList
)

// mavenQualifiers lists the well-known qualifiers in ascending order; the
// empty string is the release itself. Unknown qualifiers sort after all of
// them, alphabetically.
var mavenQualifiers = []string{"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"}

var mavenAliases = map[string]string{"ga": "", "final": "", "release": "", "cr": "rc"}

func parseMaven(s string) (mavenItem, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "" {
		return mavenItem{}, invalid(s, "empty")
	}
	root := &mavenItem{kind: mavenList}
	list := root
	start := 0
	digit := false

	push := func() {
		list.list = append(list.list, mavenItem{kind: mavenList})
		list = &list.list[len(list.list)-1]
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '.' || c == '-':
			if i == start {
				list.list = append(list.list, mavenItem{kind: mavenInt, value: "0"})
			} else {
				list.list = append(list.list, mavenParseItem(digit, v[start:i], false))
			}
			start = i + 1
			if c == '-' {
				push()
			}
		case isDigit(c):
			if !digit && i > start {
				list.list = append(list.list, mavenParseItem(false, v[start:i], true))
				start = i
				push()
			}
			digit = true
		default:
			if digit && i > start {
				list.list = append(list.list, mavenParseItem(true, v[start:i], false))
				start = i
				push()
			}
			digit = false
		}
	}
	if len(v) > start {
		list.list = append(list.list, mavenParseItem(digit, v[start:], false))
	}
	mavenNormalize(root)
	return *root, nil
}

func mavenParseItem(digit bool, s string, followedByDigit bool) mavenItem {
	if digit {
		return mavenItem{kind: mavenInt, value: strings.TrimLeft(s, "0")}
	}
	if followedByDigit && len(s) == 1 {
		switch s {
		case "a":
			s = "alpha"
		case "b":
			s = "beta"
		case "m":
			s = "milestone"
		}
	}
	if a, ok := mavenAliases[s]; ok {
		s = a
	}
	return mavenItem{kind: mavenString, value: s}
}

// mavenNormalize removes trailing null items (0, the release qualifier and
// empty lists) from every list, innermost first.
func mavenNormalize(it *mavenItem) {
	for i := range it.list {
		if it.list[i].kind == mavenList {
			mavenNormalize(&it.list[i])
		}
	}
	for i := len(it.list) - 1; i >= 0; i-- {
		if mavenIsNull(it.list[i]) {
			it.list = append(it.list[:i], it.list[i+1:]...)
		} else if it.list[i].kind != mavenList {
			break
		}
	}
}

func mavenIsNull(it mavenItem) bool {
	switch it.kind {
	case mavenInt:
		return it.value == ""
	case mavenString:
		return it.value == ""
	}
	return len(it.list) == 0
}

func compareMaven(a, b mavenItem) int { return mavenCompare(&a, &b) }

// mavenCompare orders a against b; a nil b stands for a missing item.
func mavenCompare(a, b *mavenItem) int {
	switch a.kind {
	case mavenInt:
		if b == nil {
			if a.value == "" {
				return 0
			}
			return 1
		}
		if b.kind != mavenInt {
			return 1
		}
		return compareDigits(a.value, b.value)
	case mavenString:
		if b == nil {
			return strings.Compare(mavenQualifierKey(a.value), mavenQualifierKey(""))
		}
		switch b.kind {
		case mavenInt, mavenList:
			return -1
		}
		return strings.Compare(mavenQualifierKey(a.value), mavenQualifierKey(b.value))
	}
	if b == nil {
		if len(a.list) == 0 {
			return 0
		}
		return mavenCompare(&a.list[0], nil)
	}
	switch b.kind {
	case mavenInt:
		return -1
	case mavenString:
		return 1
	}
	for i := 0; i < len(a.list) || i < len(b.list); i++ {
		var l, r *mavenItem
		if i < len(a.list) {
			l = &a.list[i]
		}
		if i < len(b.list) {
			r = &b.list[i]
		}
		var c int
		switch {
		case l == nil && r == nil:
			c = 0
		case l == nil:
			c = -mavenCompare(r, nil)
		default:
			c = mavenCompare(l, r)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// mavenQualifierKey returns a string that sorts qualifiers in Maven's order.
func mavenQualifierKey(q string) string {
	for i, k := range mavenQualifiers {
		if q == k {
			return string(rune('0' + i))
		}
	}
	return string(rune('0'+len(mavenQualifiers))) + "-" + q
}
