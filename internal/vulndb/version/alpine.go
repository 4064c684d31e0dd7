package version

import (
	"strings"
)

// apkKind is the kind of one token of an apk version. When two versions
// differ in kind at the same position, the one with the lower kind is the
// greater version, except that a pre-release suffix sorts below anything.
type apkKind int

const (
	apkDigit apkKind = iota
	apkLetter
	apkSuffix
	apkSuffixNumber
	apkHash
	apkRevision
	apkEnd
)

type apkToken struct {
	kind  apkKind
	value string
	rank  int // suffix rank; negative for pre-release suffixes
}

// apkSuffixes ranks the suffixes that apk knows. The first four mark
// pre-releases and sort below the bare version.
var apkSuffixes = map[string]int{
	"alpha": -4, "beta": -3, "pre": -2, "rc": -1,
	"cvs": 1, "svn": 2, "git": 3, "hg": 4, "p": 5,
}

// parseAlpine splits a version of the form
//
//	1.2.3[letter][_suffix[N]]...[~hash][-rN]
//
// into tokens, as apk-tools does.
func parseAlpine(s string) ([]apkToken, error) {
	orig := s
	if s == "" {
		return nil, invalid(orig, "empty")
	}
	var toks []apkToken
	for {
		n := leadingDigits(s)
		if n == 0 {
			return nil, invalid(orig, "expected a number")
		}
		toks = append(toks, apkToken{kind: apkDigit, value: s[:n]})
		s = s[n:]
		if !strings.HasPrefix(s, ".") {
			break
		}
		s = s[1:]
	}
	if len(s) > 0 && 'a' <= s[0] && s[0] <= 'z' {
		toks = append(toks, apkToken{kind: apkLetter, value: s[:1]})
		s = s[1:]
	}
	for strings.HasPrefix(s, "_") {
		s = s[1:]
		name := s[:leadingLetters(s)]
		rank, ok := apkSuffixes[name]
		if !ok {
			return nil, invalid(orig, "unknown suffix _"+name)
		}
		toks = append(toks, apkToken{kind: apkSuffix, value: name, rank: rank})
		s = s[len(name):]
		if n := leadingDigits(s); n > 0 {
			toks = append(toks, apkToken{kind: apkSuffixNumber, value: s[:n]})
			s = s[n:]
		}
	}
	if strings.HasPrefix(s, "~") {
		n := 1
		for n < len(s) && strings.IndexByte("0123456789abcdef", s[n]) >= 0 {
			n++
		}
		if n == 1 {
			return nil, invalid(orig, "empty commit hash after ~")
		}
		toks = append(toks, apkToken{kind: apkHash, value: s[1:n]})
		s = s[n:]
	}
	if strings.HasPrefix(s, "-r") {
		n := leadingDigits(s[2:])
		if n == 0 {
			return nil, invalid(orig, "expected a number after -r")
		}
		toks = append(toks, apkToken{kind: apkRevision, value: s[2 : 2+n]})
		s = s[2+n:]
	}
	if s != "" {
		return nil, invalid(orig, "unexpected "+s)
	}
	return toks, nil
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

func leadingLetters(s string) int {
	n := 0
	for n < len(s) && 'a' <= s[n] && s[n] <= 'z' {
		n++
	}
	return n
}

func compareAlpine(a, b []apkToken) int {
	for i := 0; ; i++ {
		ta, tb := apkAt(a, i), apkAt(b, i)
		if ta.kind != tb.kind {
			// The longer version is greater unless what follows is a
			// pre-release suffix.
			if ta.kind == apkSuffix && ta.rank < 0 {
				return -1
			}
			if tb.kind == apkSuffix && tb.rank < 0 {
				return 1
			}
			if ta.kind < tb.kind {
				return 1
			}
			return -1
		}
		if ta.kind == apkEnd {
			return 0
		}
		if c := compareAPKToken(ta, tb, i); c != 0 {
			return c
		}
	}
}

func apkAt(toks []apkToken, i int) apkToken {
	if i < len(toks) {
		return toks[i]
	}
	return apkToken{kind: apkEnd}
}

func compareAPKToken(a, b apkToken, pos int) int {
	switch a.kind {
	case apkDigit:
		// After the first component, more leading zeros make a smaller
		// number (1.02 < 1.1, 1.001 < 1.01), as in apk-tools.
		if pos > 0 {
			za := len(a.value) - len(strings.TrimLeft(a.value, "0"))
			zb := len(b.value) - len(strings.TrimLeft(b.value, "0"))
			if za != zb {
				return sign(zb - za)
			}
		}
		return compareDigits(a.value, b.value)
	case apkSuffix:
		return sign(a.rank - b.rank)
	case apkLetter, apkHash:
		return strings.Compare(a.value, b.value)
	}
	return compareDigits(a.value, b.value)
}
