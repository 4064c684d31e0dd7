package seccomp

import (
	"math"
	"testing"
)

func TestWithinUnion(t *testing.T) {
	eq := func(v uint64) cond { return cond{op: "EQ", value: v} }
	op := func(o string, v uint64) cond { return cond{op: o, value: v} }
	masked := func(mask, want uint64) cond { return cond{op: "MASKED_EQ", value: mask, valueTwo: want} }

	tests := []struct {
		name   string
		rule   cond
		grants []cond
		want   bool
	}{
		{"equal value", eq(1), []cond{eq(1)}, true},
		{"other value", eq(2), []cond{eq(1)}, false},
		{"value inside a range", eq(1), []cond{op("LT", 3)}, true},
		{"range inside a range", op("LE", 2), []cond{op("LT", 3)}, true},
		{"range past a range", op("LE", 3), []cond{op("LT", 3)}, false},
		{"range filled by equalities", op("LE", 4), []cond{op("LT", 3), eq(3), eq(4)}, true},
		{"range with a gap", op("LE", 4), []cond{op("LT", 3), eq(4)}, false},
		{"not equal excludes the value", eq(5), []cond{op("NE", 40)}, true},
		{"not equal against not equal", op("NE", 40), []cond{op("NE", 40)}, true},
		{"open range against not equal", op("GT", 40), []cond{op("NE", 40)}, true},
		{"open range against equalities", op("GT", 40), []cond{eq(41), eq(42)}, false},
		{"empty range", op("LT", 0), nil, true},
		{"empty range at the top", op("GT", math.MaxUint64), nil, true},
		{"whole range", op("GE", 0), []cond{op("LT", 10)}, false},
		{"value with the flags clear", eq(0x11), []cond{masked(0x7e020000, 0)}, true},
		{"value with a flag set", eq(0x10000000), []cond{masked(0x7e020000, 0)}, false},
		{"same mask", masked(0x7e020000, 0), []cond{masked(0x7e020000, 0)}, true},
		{"more bits checked", masked(0x7f020000, 0), []cond{masked(0x7e020000, 0)}, true},
		{"fewer bits checked", masked(0x20000, 0), []cond{masked(0x7e020000, 0)}, false},
		{"mask that matches nothing", masked(0x1, 0x2), nil, true},
		{"few free bits inside a range", masked(^uint64(0x3), 0x4), []cond{op("LT", 8)}, true},
		{"few free bits past a range", masked(^uint64(0x7), 0x8), []cond{op("LT", 12)}, false},
		{"many free bits inside a range", masked(0xff00000000000000, 0), []cond{op("LE", 0x00ffffffffffffff)}, true},
		{"unknown operator", op("XX", 1), []cond{op("GE", 0)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withinUnion(tt.rule, tt.grants); got != tt.want {
				t.Errorf("withinUnion(%+v, %+v) = %v, want %v", tt.rule, tt.grants, got, tt.want)
			}
		})
	}
}

func TestAlternatives(t *testing.T) {
	a0 := cond{index: 0, op: "EQ", value: 1}
	b0 := cond{index: 0, op: "EQ", value: 2}
	c1 := cond{index: 1, op: "EQ", value: 3}

	if got := alternatives([]cond{a0, c1}); len(got) != 1 || len(got[0]) != 2 {
		t.Errorf("distinct arguments = %+v, want one conjunction of both", got)
	}
	if got := alternatives([]cond{a0, b0, c1}); len(got) != 3 {
		t.Errorf("repeated argument = %+v, want each comparison alone", got)
	}
	if got := alternatives(nil); len(got) != 1 || len(got[0]) != 0 {
		t.Errorf("no comparison = %+v, want one empty conjunction", got)
	}
}
