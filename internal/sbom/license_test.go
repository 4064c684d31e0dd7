package sbom

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
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
			require.Equal(t, tt.want, licenseExpression(tt.in, licenseID))
		})
	}
}

func TestSPDXLicenseExpression(t *testing.T) {
	tests := []struct {
		name     string
		in       []string
		want     string
		wantRefs []string
	}{
		{name: "none", in: nil, want: "NOASSERTION"},
		{name: "blank", in: []string{" "}, want: "NOASSERTION"},
		{name: "identifiers", in: []string{"MIT", "GPL-2.0-only"}, want: "MIT AND GPL-2.0-only"},
		{name: "aliases deduplicated", in: []string{"GPL-2+", "GPL-2.0-or-later", "Expat"},
			want: "GPL-2.0-or-later AND MIT"},
		{name: "expression alone", in: []string{"MIT OR Apache-2.0"}, want: "MIT OR Apache-2.0"},
		{name: "expression among others", in: []string{"MIT OR Apache-2.0", "ISC"},
			want: "(MIT OR Apache-2.0) AND ISC"},
		{name: "free text", in: []string{"MIT", "public-domain"}, want: "MIT AND LicenseRef-public-domain",
			wantRefs: []string{"LicenseRef-public-domain"}},
		{name: "Debian names", in: []string{"GPL-3+", "GPL-3+ with Bison exception", "BSD-4-clause-UC and MIT-like"},
			want:     "GPL-3.0-or-later AND LicenseRef-GPL-3-with-Bison-exception AND LicenseRef-BSD-4-clause-UC-and-MIT-like",
			wantRefs: []string{"LicenseRef-GPL-3-with-Bison-exception", "LicenseRef-BSD-4-clause-UC-and-MIT-like"}},
		{name: "same idstring", in: []string{"MIT like", "MIT-like", "MIT like"},
			want:     "LicenseRef-MIT-like AND LicenseRef-MIT-like-2",
			wantRefs: []string{"LicenseRef-MIT-like", "LicenseRef-MIT-like-2"}},
		{name: "nothing to keep", in: []string{"+++"}, want: "LicenseRef-unnamed",
			wantRefs: []string{"LicenseRef-unnamed"}},
		{name: "whole list in its case", in: []string{"bsd-4-clause-uc", "Sendmail", "MIT-CMU"},
			want: "BSD-4-Clause-UC AND Sendmail AND MIT-CMU"},
		{name: "deprecated identifier", in: []string{"GPL-2.0"}, want: "GPL-2.0"},
		{name: "exception in its case", in: []string{"apache-2.0 WITH llvm-exception"},
			want: "Apache-2.0 WITH LLVM-exception"},
		{name: "unknown exception", in: []string{"MIT WITH Foo-exception"},
			want: "LicenseRef-MIT-WITH-Foo-exception", wantRefs: []string{"LicenseRef-MIT-WITH-Foo-exception"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refs := newLicenseRefs()
			require.Equal(t, tt.want, spdxLicenseExpression(tt.in, refs))
			var got []string
			for _, info := range refs.infos {
				got = append(got, info.LicenseIdentifier)
				require.NotEmpty(t, info.ExtractedText, info.LicenseIdentifier)
				require.NotEmpty(t, info.LicenseName, info.LicenseIdentifier)
			}
			require.Equal(t, tt.wantRefs, got)
		})
	}
}

func TestLicenseRefsReuse(t *testing.T) {
	refs := newLicenseRefs()
	require.Equal(t, "LicenseRef-Artistic", refs.ref("Artistic"))
	require.Equal(t, "LicenseRef-Artistic", refs.ref(" Artistic "), "surrounding space")
	require.Equal(t, "LicenseRef-https-example.com-LICENSE", refs.ref("https://example.com/LICENSE"))
	require.Len(t, refs.infos, 2)
	require.Empty(t, refs.infos[0].LicenseCrossReferences)
	require.Equal(t, []string{"https://example.com/LICENSE"}, refs.infos[1].LicenseCrossReferences)
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
		for _, id := range []func(string) string{licenseID, spdxID} {
			expr := licenseExpression(l, id)
			if expr != "" && licenseExpression(expr, id) != expr {
				t.Errorf("expression %q is not stable: %q", expr, licenseExpression(expr, id))
			}
		}
	})
}

// Every identifier that CycloneDX output may write as a license ID must be
// in the enumeration of the CycloneDX schema, or the document is invalid.
func TestCycloneDXLicenseIDsInSchema(t *testing.T) {
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-m", "-f", "{{.Dir}}",
		"github.com/CycloneDX/cyclonedx-go").Output()
	require.NoError(t, err, "locating the cyclonedx-go module")
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "schema", "spdx.schema.json"))
	require.NoError(t, err)
	var schema struct {
		Enum []string `json:"enum"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))

	for id := range spdxLicenseIDs {
		require.Contains(t, schema.Enum, id)
	}
	for alias, id := range licenseAliases {
		require.Contains(t, schema.Enum, id, alias)
	}
}
