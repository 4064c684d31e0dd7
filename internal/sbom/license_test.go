package sbom

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLicenseExpression(t *testing.T) {
	tests := []struct{ in, want string }{
		{"MIT", ""},
		{"GPL-2.0-or-later AND MIT", "GPL-2.0-or-later AND MIT"},
		{"(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"},
		{"GPL-2+ AND Expat", "GPL-2.0-or-later AND MIT"},
		{"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"},
		{"GPL-2.0-only WITH MIT", ""},
		{"GPL-2.0-only WITH Linux-syscall-note OR MIT", "GPL-2.0-only WITH Linux-syscall-note OR MIT"},
		{"OpenSSL and ASL 2.0", ""},
		{"MIT AND", ""},
		{"(MIT OR Apache-2.0", ""},
		{"MIT) OR (ISC", ""},
		{"AND MIT ISC", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, licenseExpression(tt.in))
		})
	}
}

func TestSPDXLicenseExpression(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"none", nil, "NOASSERTION"},
		{"identifiers", []string{"MIT", "GPL-2.0-only"}, "MIT AND GPL-2.0-only"},
		{"aliases deduplicated", []string{"GPL-2+", "GPL-2.0-or-later", "Expat"}, "GPL-2.0-or-later AND MIT"},
		{"expression alone", []string{"MIT OR Apache-2.0"}, "MIT OR Apache-2.0"},
		{"expression among others", []string{"MIT OR Apache-2.0", "ISC"}, "(MIT OR Apache-2.0) AND ISC"},
		{"free text", []string{"MIT", "public-domain"}, "NOASSERTION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, spdxLicenseExpression(tt.in))
		})
	}
}

func TestCycloneDXLicenses(t *testing.T) {
	require.Equal(t, "MIT OR Apache-2.0", cycloneDXLicenses([]string{"MIT OR Apache-2.0"})[0].Expression)

	lics := cycloneDXLicenses([]string{"GPL-2+", "GPL-2.0-or-later", "Artistic", "Artistic"})
	require.Len(t, lics, 2)
	require.Equal(t, "GPL-2.0-or-later", lics[0].License.ID)
	require.Equal(t, "Artistic", lics[1].License.Name)
}

func FuzzLicenseExpression(f *testing.F) {
	for _, seed := range []string{"(MIT OR Apache-2.0) AND BSD-3-Clause", "GPL-2.0-only WITH Linux-syscall-note", "GPL-2+ AND Expat"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, l string) {
		expr := licenseExpression(l)
		if expr != "" && licenseExpression(expr) != expr {
			t.Errorf("expression %q is not stable: %q", expr, licenseExpression(expr))
		}
	})
}
