package version

import (
	"errors"
	"testing"
)

// order lists versions in strictly ascending order for one scheme; every
// pair is checked in both directions.
type order struct {
	name     string
	versions []string
}

// same lists pairs that must compare equal.
type same struct {
	name string
	a, b string
}

func checkOrder(t *testing.T, s Scheme, cases []order) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.versions {
				for j := range tc.versions {
					got, err := s.Compare(tc.versions[i], tc.versions[j])
					if err != nil {
						t.Fatalf("Compare(%q, %q): %v", tc.versions[i], tc.versions[j], err)
					}
					if want := sign(i - j); got != want {
						t.Errorf("Compare(%q, %q) = %d, want %d", tc.versions[i], tc.versions[j], got, want)
					}
				}
			}
		})
	}
}

func checkSame(t *testing.T, s Scheme, cases []same) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Compare(tc.a, tc.b)
			if err != nil {
				t.Fatalf("Compare(%q, %q): %v", tc.a, tc.b, err)
			}
			if got != 0 {
				t.Errorf("Compare(%q, %q) = %d, want 0", tc.a, tc.b, got)
			}
		})
	}
}

func checkInvalid(t *testing.T, s Scheme, versions []string) {
	t.Helper()
	for _, v := range versions {
		t.Run("invalid "+v, func(t *testing.T) {
			err := s.Validate(v)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate(%q) = %v, want ErrInvalid", v, err)
			}
		})
	}
}

func TestDebianOrder(t *testing.T) {
	checkOrder(t, Debian, []order{
		{"tilde before everything", []string{"1.0~rc1~1", "1.0~rc1", "1.0", "1.0a", "1.0+b1", "1.0.1"}},
		{"epoch wins", []string{"9.9-9", "1:0.1-1", "2:0.0.1"}},
		{"revision compared last", []string{"1.2-1", "1.2-1+deb12u1", "1.2-1.1", "1.2-2", "1.2-10"}},
		{"security suffixes", []string{"1.5.2-6+deb12u1", "1.5.2-6+deb12u2", "1.5.2-6+deb12u3"}},
		{"numbers not text", []string{"1.9", "1.10", "1.100"}},
		{"letters before symbols", []string{"1.0a", "1.0z", "1.0+", "1.0."}},
		{"hyphen inside upstream", []string{"1.2-3-1", "1.2-3-2", "1.2-4-1"}},
		{"long numbers", []string{"20230101", "202301011", "99999999999999999999999"}},
	})
	checkSame(t, Debian, []same{
		{"zero epoch", "0:1.2-1", "1.2-1"},
		{"leading zeros", "1.02", "1.2"},
		{"no revision is revision zero", "1.2", "1.2-0"},
	})
	checkInvalid(t, Debian, []string{"", "a1.0", "x:1.0", "1.0-", "1.0 1", ":1"})
}

func TestAlpineOrder(t *testing.T) {
	checkOrder(t, Alpine, []order{
		{"pre-release suffixes", []string{"1.2_alpha1", "1.2_beta", "1.2_beta2", "1.2_pre1", "1.2_rc1", "1.2", "1.2_cvs1", "1.2_svn", "1.2_git1", "1.2_hg1", "1.2_p1", "1.2_p2"}},
		{"revision", []string{"1.2.3-r0", "1.2.3-r1", "1.2.3-r10", "1.2.3_p1-r0"}},
		{"letter", []string{"1.2", "1.2a", "1.2b", "1.2.1"}},
		{"leading zeros as fractions", []string{"1.001", "1.01", "1.02", "1.1", "1.10"}},
		{"real openssl", []string{"1.1.1g-r0", "1.1.1h-r0", "1.1.1i-r0", "3.0.0_alpha1-r0", "3.0.0-r0"}},
		{"bare below revision", []string{"2.4.41", "2.4.41-r0", "2.4.41-r1"}},
		{"commit hash", []string{"1.2_git20200101~abc-r0", "1.2_git20200101~abd-r0", "1.2_git20200102-r0"}},
	})
	checkSame(t, Alpine, []same{{"identical", "1.2.3_rc1-r4", "1.2.3_rc1-r4"}})
	checkInvalid(t, Alpine, []string{"", "a1", "1.2_foo", "1.2-r", "1.2-rx", "1.2 ", "1..2", "1.2~", "1.2.3-1"})
}

func TestRPMOrder(t *testing.T) {
	checkOrder(t, RPM, []order{
		{"tilde sorts first", []string{"1.0~rc1", "1.0~rc2", "1.0", "1.0^git1", "1.0.1"}},
		{"caret after release", []string{"1.0", "1.0^", "1.0^20200101", "1.0a", "1.0.1"}},
		{"epoch", []string{"1.0-1", "1:0.1-1", "2:0.0-1"}},
		{"release", []string{"1.0-1.el8", "1.0-1.el8_1", "1.0-2.el8", "1.0-10.el8"}},
		{"numbers beat letters", []string{"1.0a", "1.0.1"}},
		{"letters compared as text", []string{"1.0a", "1.0b", "1.0beta"}},
	})
	checkSame(t, RPM, []same{
		{"separators do not count", "1.0_1", "1.0.1"},
		{"leading zeros", "1.01", "1.1"},
		{"missing release matches any", "1.2.3", "1.2.3-4.el9"},
		{"zero epoch", "0:1.0-1", "1.0-1"},
	})
	checkInvalid(t, RPM, []string{"", "x:1.0", ":1"})
}

func TestSemVerOrder(t *testing.T) {
	checkOrder(t, SemVer, []order{
		{"specification example", []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"}},
		{"numbers", []string{"1.9.0", "1.10.0", "1.10.1", "2.0.0"}},
		{"big numbers", []string{"1.0.0", "18446744073709551616.0.0", "18446744073709551617.0.0"}},
		{"hyphen in pre-release", []string{"1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--"}},
	})
	checkSame(t, SemVer, []same{
		{"build metadata ignored", "1.0.0+20130313144700", "1.0.0+exp.sha.5114f85"},
		{"v prefix", "v1.2.3", "1.2.3"},
	})
	checkInvalid(t, SemVer, []string{"", "1", "1.2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "1.2.3-a..b", "a.b.c"})
}

func TestGoOrder(t *testing.T) {
	checkOrder(t, Go, []order{
		{"pseudo-versions are pre-releases", []string{"v0.0.0-20190101000000-abcdefabcdef", "v0.0.0-20210101000000-abcdefabcdef", "v0.1.0", "v0.3.5", "v0.3.6-0.20210101000000-abcdefabcdef", "v0.3.6"}},
		{"incompatible is metadata", []string{"v1.0.0", "v2.0.0+incompatible", "v2.1.0+incompatible"}},
		{"toolchains", []string{"go1.19beta1", "go1.19rc1", "go1.19", "go1.19.1", "go1.20rc2", "go1.20", "go1.22.3", "go1.22.10"}},
		{"osv stdlib events", []string{"1.16.0-0", "go1.16beta1", "go1.16", "1.16.1", "go1.16.2"}},
	})
	checkSame(t, Go, []same{
		{"toolchain is semver", "go1.22.3", "1.22.3"},
		{"release zero patch", "go1.21", "v1.21.0"},
		{"rc spelling", "go1.21rc2", "1.21.0-rc.2"},
		{"experiment suffix", "go1.22.3 X:nocoverageredesign", "1.22.3"},
		{"incompatible ignored", "v2.0.0+incompatible", "2.0.0"},
	})
	checkInvalid(t, Go, []string{"", "devel", "go", "godevel +abc", "go1.2.3.4", "v1.2", "(devel)"})
}

func TestPEP440Order(t *testing.T) {
	checkOrder(t, PEP440, []order{
		{"specification order", []string{"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1"}},
		{"epoch", []string{"2.0", "1!1.0", "2!0.1"}},
		{"release length", []string{"1.0", "1.0.1", "1.1", "1.10"}},
	})
	checkSame(t, PEP440, []same{
		{"trailing zeros", "1.0.0", "1"},
		{"alternative spellings", "1.0alpha1", "1.0a1"},
		{"preview is rc", "1.0-preview-2", "1.0rc2"},
		{"c is rc", "1.0c1", "1.0rc1"},
		{"implicit post", "1.0-1", "1.0.post1"},
		{"rev is post", "1.0rev1", "1.0.post1"},
		{"v prefix and case", "V1.0RC1", "1.0rc1"},
		{"implicit numbers", "1.0a", "1.0a0"},
		{"local separators", "1.0+ubuntu-1", "1.0+ubuntu.1"},
	})
	checkInvalid(t, PEP440, []string{"", "abc", "1.0+", "1.0++1", "1.0-dev-post", "french toast"})
}

func TestMavenOrder(t *testing.T) {
	checkOrder(t, Maven, []order{
		{"qualifiers", []string{"1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot", "1", "1-sp", "1-abc", "1-def", "1.1"}},
		{"short qualifiers", []string{"1a1", "1b1", "1m1", "1rc1", "1"}},
		{"numbers", []string{"1.0", "1.0.1", "1.1", "1.2", "1.10"}},
		{"unknown qualifier after release", []string{"2.9.10", "2.9.10.1", "2.9.10.8", "2.10.0", "2.10.0.pr1"}},
		{"spring", []string{"5.3.0.M1", "5.3.0.RC1", "5.3.0", "5.3.0.SR1"}},
		{"number beats qualifier", []string{"1-foo", "1-1"}},
	})
	checkSame(t, Maven, []same{
		{"trailing zeros", "1.0.0", "1"},
		{"ga is release", "1.0-ga", "1"},
		{"final is release", "1.0.final", "1"},
		{"cr is rc", "1-cr1", "1-rc1"},
		{"case", "1.0-ALPHA1", "1.0-alpha1"},
		{"dash zero", "1-0", "1"},
	})
	checkInvalid(t, Maven, []string{""})
}

func TestRubyGemsOrder(t *testing.T) {
	checkOrder(t, RubyGems, []order{
		{"pre-releases", []string{"1.0.a", "1.0.a.2", "1.0.b1", "1.0.rc1", "1.0", "1.0.1"}},
		{"numbers", []string{"0.9", "1.9", "1.10", "2"}},
		{"dash is pre-release", []string{"1.0-1", "1.0"}},
	})
	checkSame(t, RubyGems, []same{
		{"trailing zeros", "1.0.0", "1"},
		{"zero before letter", "1.0.a", "1.a"},
		{"empty is zero", "", "0"},
	})
	checkInvalid(t, RubyGems, []string{"junk", "1..2", "1.2.", "1.2 3"})
}

func TestForEcosystem(t *testing.T) {
	tests := []struct {
		ecosystem string
		want      string
		ok        bool
	}{
		{"Debian:12", "debian", true},
		{"Ubuntu:22.04:LTS", "debian", true},
		{"Alpine:v3.20", "alpine", true},
		{"Red Hat:enterprise_linux:9::appstream", "rpm", true},
		{"Go", "go", true},
		{"PyPI", "pep440", true},
		{"crates.io", "semver", true},
		{"npm", "semver", true},
		{"Maven", "maven", true},
		{"RubyGems", "rubygems", true},
		{"Bitnami", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.ecosystem, func(t *testing.T) {
			s, ok := ForEcosystem(tc.ecosystem)
			if ok != tc.ok || s.Name != tc.want {
				t.Errorf("ForEcosystem(%q) = %q, %v, want %q, %v", tc.ecosystem, s.Name, ok, tc.want, tc.ok)
			}
		})
	}
}
