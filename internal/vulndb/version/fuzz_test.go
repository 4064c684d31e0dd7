package version

import (
	"testing"
)

// fuzzScheme checks that parsing never panics and that Compare is
// reflexive and antisymmetric on whatever parses.
func fuzzScheme(f *testing.F, s Scheme, seeds ...string) {
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if s.Validate(a) != nil || s.Validate(b) != nil {
			return
		}
		if c, err := s.Compare(a, a); err != nil || c != 0 {
			t.Fatalf("Compare(%q, %q) = %d, %v, want 0", a, a, c, err)
		}
		ab, err1 := s.Compare(a, b)
		ba, err2 := s.Compare(b, a)
		if err1 != nil || err2 != nil {
			t.Fatalf("Compare of valid versions failed: %v, %v", err1, err2)
		}
		if ab != -ba {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
	})
}

func FuzzDebian(f *testing.F) {
	fuzzScheme(f, Debian, "1:2.3~rc1-4+deb12u1", "1.0", "2.36-9+deb12u4", "1.0~~a")
}

func FuzzAlpine(f *testing.F) {
	fuzzScheme(f, Alpine, "1.2.3_rc1-r4", "1.02a_p1", "1.2_git2020~abc-r0", "3.0.0")
}

func FuzzRPM(f *testing.F) {
	fuzzScheme(f, RPM, "1:1.0~rc1^git2-3.el9", "2.0", "1.0-1.el8_1", "0:3")
}

func FuzzSemVer(f *testing.F) {
	fuzzScheme(f, SemVer, "1.0.0-alpha.1+build.5", "v2.3.4", "1.0.0-x-y-z.--", "0.0.0-0")
}

func FuzzGo(f *testing.F) {
	fuzzScheme(f, Go, "go1.21rc2", "v0.0.0-20210101000000-abcdefabcdef", "v2.0.0+incompatible", "1.16.0-0")
}

func FuzzPEP440(f *testing.F) {
	fuzzScheme(f, PEP440, "1!2.0a1.post3.dev4+local.7", "1.0", "1.0-1", "v1.0RC1")
}

func FuzzMaven(f *testing.F) {
	fuzzScheme(f, Maven, "1.0-alpha-1", "2.10.0.pr1", "5.3.0.RELEASE", "1-0.1-sp")
}

func FuzzRubyGems(f *testing.F) {
	fuzzScheme(f, RubyGems, "1.0.a.2", "1.0-1", "2", "0.9.rc1")
}
