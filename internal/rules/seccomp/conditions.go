package seccomp

import (
	"math"
	"math/bits"
	"slices"
	"strings"

	input "github.com/dockward/dockward/internal/input/seccomp"
)

// cond is one argument comparison of a rule: arg[index] op value, or for
// SCMP_CMP_MASKED_EQ, arg[index] & value == valueTwo.
type cond struct {
	index     uint64
	op        string // EQ, NE, LT, LE, GT, GE or MASKED_EQ
	value     uint64
	valueTwo  uint64
	canonical string
}

func condOf(a input.Arg) cond {
	return cond{
		index:     a.Index.Value,
		op:        strings.TrimPrefix(a.Op.Value, "SCMP_CMP_"),
		value:     a.Value.Value,
		valueTwo:  a.ValueTwo.Value,
		canonical: argKey(a),
	}
}

// alternatives splits a rule's comparisons into the conjunctions the
// runtime installs, any one of which lets the syscall run. runc (and
// moby's default profile relies on this) installs each comparison as a
// rule of its own when two compare the same argument, so the rule then
// allows a call that meets any one comparison. Otherwise all must hold.
func alternatives(conds []cond) [][]cond {
	seen := make(map[uint64]bool)
	repeated := false
	for _, c := range conds {
		repeated = repeated || seen[c.index]
		seen[c.index] = true
	}
	if !repeated {
		return [][]cond{conds}
	}
	out := make([][]cond, len(conds))
	for i, c := range conds {
		out[i] = []cond{c}
	}
	return out
}

// span is the closed range of argument values from lo to hi.
type span struct{ lo, hi uint64 }

// spansOf returns the values a comparison accepts. ok is false for
// SCMP_CMP_MASKED_EQ and unknown operators, whose sets are not ranges.
func spansOf(c cond) (spans []span, ok bool) {
	const maxValue = math.MaxUint64
	v := c.value
	switch c.op {
	case "EQ":
		return []span{{v, v}}, true
	case "NE":
		if v > 0 {
			spans = append(spans, span{0, v - 1})
		}
		if v < maxValue {
			spans = append(spans, span{v + 1, maxValue})
		}
		return spans, true
	case "LT":
		if v == 0 {
			return nil, true
		}
		return []span{{0, v - 1}}, true
	case "LE":
		return []span{{0, v}}, true
	case "GT":
		if v == maxValue {
			return nil, true
		}
		return []span{{v + 1, maxValue}}, true
	case "GE":
		return []span{{v, maxValue}}, true
	}
	return nil, false
}

// accepts reports whether the comparison holds for the argument value v.
func (c cond) accepts(v uint64) bool {
	if c.op == "MASKED_EQ" {
		return v&c.value == c.valueTwo
	}
	spans, _ := spansOf(c)
	for _, s := range spans {
		if s.lo <= v && v <= s.hi {
			return true
		}
	}
	return false
}

// subtract removes the values of cut from spans.
func subtract(spans []span, cut span) []span {
	var out []span
	for _, s := range spans {
		if cut.hi < s.lo || cut.lo > s.hi {
			out = append(out, s)
			continue
		}
		if cut.lo > s.lo {
			out = append(out, span{s.lo, cut.lo - 1})
		}
		if cut.hi < s.hi {
			out = append(out, span{cut.hi + 1, s.hi})
		}
	}
	return out
}

// maxEnumerated bounds the argument values checked one by one when sets
// of ranges and bit masks meet.
const maxEnumerated = 4096

// withinUnion reports whether every argument value that c accepts is
// accepted by one of others, all comparing the same argument. It may
// answer false for a set it cannot enumerate, which makes the lint rules
// report a wider condition than the truth, never a narrower one.
func withinUnion(c cond, others []cond) bool {
	if c.op == "MASKED_EQ" {
		return maskedWithinUnion(c, others)
	}
	rest, ok := spansOf(c)
	if !ok {
		return false
	}
	var masked []cond
	for _, o := range others {
		spans, ok := spansOf(o)
		if !ok {
			masked = append(masked, o)
			continue
		}
		for _, s := range spans {
			rest = subtract(rest, s)
		}
	}
	var size uint64
	for _, s := range rest {
		size += s.hi - s.lo + 1
		if s.hi-s.lo >= maxEnumerated || size > maxEnumerated {
			return false
		}
	}
	for _, s := range rest {
		for v := s.lo; ; v++ {
			if !slices.ContainsFunc(masked, func(o cond) bool { return o.accepts(v) }) {
				return false
			}
			if v == s.hi {
				break
			}
		}
	}
	return true
}

// maskedWithinUnion is withinUnion for c = (arg & mask == want).
func maskedWithinUnion(c cond, others []cond) bool {
	mask, want := c.value, c.valueTwo
	if want&^mask != 0 {
		return true // no value matches, so c allows nothing
	}
	for _, o := range others {
		// A comparison on fewer bits with the same expected bits holds
		// for every value that c accepts.
		if o.op == "MASKED_EQ" && o.value&^mask == 0 && want&o.value == o.valueTwo {
			return true
		}
	}
	free := ^mask
	if bits.OnesCount64(free) > 12 {
		// Too many values to check one by one: accept only when the
		// ranges cover every value from the lowest to the highest.
		lo, hi := want, want|free
		rest := []span{{lo, hi}}
		for _, o := range others {
			spans, _ := spansOf(o)
			for _, s := range spans {
				rest = subtract(rest, s)
			}
		}
		return len(rest) == 0
	}
	// Walk every subset of the free bits, so every value c accepts.
	for sub := free; ; sub = (sub - 1) & free {
		v := want | sub
		if !slices.ContainsFunc(others, func(o cond) bool { return o.accepts(v) }) {
			return false
		}
		if sub == 0 {
			return true
		}
	}
}

// conjunctionCovered reports whether every call that the conjunction rule
// allows is allowed by one of the grants' alternatives, which the caller
// has already limited to those whose capabilities the rule requires too.
func conjunctionCovered(rule []cond, grants [][]cond) bool {
	onIndex := func(i uint64) (cond, bool) {
		for _, c := range rule {
			if c.index == i {
				return c, true
			}
		}
		return cond{}, false
	}
	// One grant alternative whose every comparison the rule implies.
	for _, g := range grants {
		covered := true
		for _, gc := range g {
			rc, ok := onIndex(gc.index)
			if !ok || !withinUnion(rc, []cond{gc}) {
				covered = false
				break
			}
		}
		if covered {
			return true
		}
	}
	// Several grant alternatives on one argument whose union holds the
	// rule's values, such as the default's socket rules, one per family.
	byIndex := make(map[uint64][]cond)
	for _, g := range grants {
		if len(g) == 1 {
			byIndex[g[0].index] = append(byIndex[g[0].index], g[0])
		}
	}
	for i, union := range byIndex {
		if rc, ok := onIndex(i); ok && withinUnion(rc, union) {
			return true
		}
	}
	return false
}
