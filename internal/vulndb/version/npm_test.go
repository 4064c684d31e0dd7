package version

import (
	"errors"
	"testing"
)

func TestNPMRange(t *testing.T) {
	tests := []struct {
		rng string
		in  []string
		out []string
	}{
		{"^1.2.3", []string{"1.2.3", "1.9.9"}, []string{"1.2.2", "2.0.0", "2.0.0-0", "1.3.0-beta"}},
		{"^0.2.3", []string{"0.2.3", "0.2.9"}, []string{"0.3.0", "0.2.2"}},
		{"^0.0.3", []string{"0.0.3"}, []string{"0.0.4", "0.0.2"}},
		{"^0.0.x", []string{"0.0.0", "0.0.9"}, []string{"0.1.0"}},
		{"^1.x", []string{"1.0.0", "1.99.0"}, []string{"2.0.0"}},
		{"~1.2.3", []string{"1.2.3", "1.2.99"}, []string{"1.3.0"}},
		{"~1.2", []string{"1.2.0", "1.2.5"}, []string{"1.3.0", "1.1.9"}},
		{"~1", []string{"1.0.0", "1.9.0"}, []string{"2.0.0"}},
		{"~> 1.2.3", []string{"1.2.5"}, []string{"1.3.0"}},
		{"1.2.x", []string{"1.2.0", "1.2.9"}, []string{"1.3.0", "1.1.0"}},
		{"1.x || >=2.5.0 <2.6.0", []string{"1.5.0", "2.5.3"}, []string{"2.0.0", "2.6.0"}},
		{"1.2.3 - 2.3.4", []string{"1.2.3", "2.3.4"}, []string{"2.3.5", "1.2.2"}},
		{"1.2 - 2.3", []string{"1.2.0", "2.3.9"}, []string{"2.4.0", "1.1.9"}},
		{">1.2", []string{"1.3.0"}, []string{"1.2.9"}},
		{"<1.2", []string{"1.1.9"}, []string{"1.2.0", "1.2.0-beta"}},
		{"<=1.2", []string{"1.2.9"}, []string{"1.3.0"}},
		{">= 1.2.3 < 1.3.0", []string{"1.2.3", "1.2.9"}, []string{"1.3.0"}},
		{"=1.2.3", []string{"1.2.3", "v1.2.3"}, []string{"1.2.4"}},
		{"*", []string{"0.0.0", "99.0.0"}, []string{"1.0.0-beta"}},
		{"", []string{"1.0.0"}, nil},
		{">=1.2.3-beta.2 <1.3.0", []string{"1.2.3-beta.4", "1.2.3", "1.2.5"}, []string{"1.2.4-beta", "1.2.3-beta.1"}},
	}
	for _, tc := range tests {
		t.Run(tc.rng, func(t *testing.T) {
			r, err := ParseNPMRange(tc.rng)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range tc.in {
				if ok, err := r.Contains(v); err != nil || !ok {
					t.Errorf("%q does not contain %s (%v)", tc.rng, v, err)
				}
			}
			for _, v := range tc.out {
				if ok, err := r.Contains(v); err != nil || ok {
					t.Errorf("%q contains %s (%v)", tc.rng, v, err)
				}
			}
		})
	}
}

func TestNPMRangeInvalid(t *testing.T) {
	for _, rng := range []string{"^a.b.c", "1.2.3.4", ">=1.x.3-beta", "1.2-beta", ">>1.0.0"} {
		t.Run(rng, func(t *testing.T) {
			if _, err := ParseNPMRange(rng); !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseNPMRange(%q) error = %v, want ErrInvalid", rng, err)
			}
		})
	}
}

func FuzzNPMRange(f *testing.F) {
	f.Add("^1.2.3 || 1.2 - 2.3.4", "1.5.0")
	f.Add(">=1.2.3-beta.2 <1.3.0", "1.2.3-beta.4")
	f.Add("~> 1.x", "v1.0.0")
	f.Fuzz(func(t *testing.T, rng, v string) {
		r, err := ParseNPMRange(rng)
		if err != nil {
			return
		}
		_, _ = r.Contains(v)
	})
}
