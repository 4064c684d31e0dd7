package sbom

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/pkgdb"
)

func testInventory() *pkgdb.Inventory {
	return &pkgdb.Inventory{
		OS: &pkgdb.OS{ID: "debian", VersionID: "12", Pretty: "Debian GNU/Linux 12 (bookworm)"},
		Packages: []pkgdb.Package{
			{Name: "libssl3", Version: "3.0.11-1~deb12u2", Type: "deb", Ecosystem: "Debian:12",
				PURL:       "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
				SourceName: "openssl", SourceVersion: "3.0.11-1~deb12u2", Arch: "amd64",
				Licenses: []string{"Apache-2.0"}, Path: "/var/lib/dpkg/status", LayerIndex: 0,
				LayerDigest: "sha256:aaaa"},
			{Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1", Type: "maven", Ecosystem: "Maven",
				PURL:     "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
				Licenses: []string{"https://www.apache.org/licenses/LICENSE-2.0.txt"},
				Path:     "/opt/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar", LayerIndex: 2, LayerDigest: "sha256:cccc"},
			{Name: "rack", Version: "3.0.8", Type: "gem", Ecosystem: "RubyGems", PURL: "pkg:gem/rack@3.0.8",
				Licenses: []string{"MIT", "GPL-2.0-only"}, Path: "/a/rack.gemspec", LayerIndex: -1},
			{Name: "rack", Version: "3.0.8", Type: "gem", Ecosystem: "RubyGems", PURL: "pkg:gem/rack@3.0.8",
				Path: "/b/rack.gemspec", LayerIndex: -1},
			{Name: "stdlib", Version: "go1.22.3", Type: "golang", Ecosystem: "Go", PURL: "pkg:golang/stdlib@go1.22.3",
				GoVersion: "go1.22.3", Path: "/app", LayerIndex: 1, LayerDigest: "sha256:bbbb",
				Symbols: []string{"net/http.Get"}},
			{Name: "example.com/app", Type: "golang", Ecosystem: "Go", PURL: "pkg:golang/example.com/app",
				GoVersion: "go1.22.3", Path: "/app", LayerIndex: 1, LayerDigest: "sha256:bbbb", Main: true},
		},
	}
}

var testOptions = Options{
	Subject: Subject{Name: "example.com/app:1.0", Image: true, Digest: "sha256:feed",
		ConfigDigest: "sha256:c0f1"},
	ToolVersion: "1.2.3",
	Now:         time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC),
}

// cycloneDXSchema compiles the CycloneDX 1.6 JSON schema that ships in
// the cyclonedx-go module, with the SPDX and JSF schemas it refers to.
func cycloneDXSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-m", "-f", "{{.Dir}}",
		"github.com/CycloneDX/cyclonedx-go").Output()
	require.NoError(t, err, "locating the cyclonedx-go module")
	dir := filepath.Join(strings.TrimSpace(string(out)), "schema")

	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for file, id := range map[string]string{
		"bom-1.6.schema.json":   "http://cyclonedx.org/schema/bom-1.6.schema.json",
		"spdx.schema.json":      "http://cyclonedx.org/schema/spdx.schema.json",
		"jsf-0.82.schemax.json": "http://cyclonedx.org/schema/jsf-0.82.schema.json",
	} {
		f, err := os.Open(filepath.Join(dir, file))
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		require.NoError(t, err, "decoding %s", file)
		require.NoError(t, c.AddResource(id, doc))
	}
	sch, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	require.NoError(t, err)
	return sch
}

func TestWriteCycloneDX(t *testing.T) {
	schema := cycloneDXSchema(t)
	tests := []struct {
		name string
		inv  *pkgdb.Inventory
		opts Options
	}{
		{name: "image", inv: testInventory(), opts: testOptions},
		{name: "empty directory", inv: &pkgdb.Inventory{}, opts: Options{Subject: Subject{Name: "rootfs"}, Now: testOptions.Now}},
		{name: "licence expression", opts: testOptions, inv: &pkgdb.Inventory{Packages: []pkgdb.Package{{
			Name: "busybox", Version: "1.36.1-r2", Type: "apk", PURL: "pkg:apk/alpine/busybox@1.36.1-r2",
			Licenses: []string{"GPL-2.0-only WITH Linux-syscall-note OR MIT"}, LayerIndex: -1,
		}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, Write(&buf, FormatCycloneDX, tt.inv, tt.opts))

			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			require.NoError(t, schema.Validate(doc), "CycloneDX 1.6 schema")
		})
	}
}

func TestWriteCycloneDXContent(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteCycloneDX(&buf, testInventory(), testOptions))
	var bom struct {
		SpecVersion string `json:"specVersion"`
		Metadata    struct {
			Timestamp string `json:"timestamp"`
			Component struct {
				Type, Name, Version string
				Properties          []struct{ Name, Value string }
			} `json:"component"`
		} `json:"metadata"`
		Components []struct {
			BOMRef   string `json:"bom-ref"`
			Type     string `json:"type"`
			Group    string `json:"group"`
			Name     string `json:"name"`
			Version  string `json:"version"`
			PURL     string `json:"purl"`
			Licenses []struct {
				License struct{ ID, Name string } `json:"license"`
			} `json:"licenses"`
			Properties []struct{ Name, Value string } `json:"properties"`
			Evidence   struct {
				Occurrences []struct {
					Location          string `json:"location"`
					AdditionalContext string `json:"additionalContext"`
				} `json:"occurrences"`
			} `json:"evidence"`
		} `json:"components"`
		Dependencies []struct {
			Ref       string   `json:"ref"`
			DependsOn []string `json:"dependsOn"`
		} `json:"dependencies"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &bom))
	require.Equal(t, "1.6", bom.SpecVersion)
	require.Equal(t, "2026-12-04T10:00:00Z", bom.Metadata.Timestamp)
	require.Equal(t, "container", bom.Metadata.Component.Type)
	require.Equal(t, "sha256:feed", bom.Metadata.Component.Version)
	require.Equal(t, []struct{ Name, Value string }{
		{"dockward:image:manifest-digest", "sha256:feed"},
		{"dockward:image:config-digest", "sha256:c0f1"},
	}, bom.Metadata.Component.Properties)

	require.Len(t, bom.Components, 7)
	require.Equal(t, "operating-system", bom.Components[0].Type)
	ssl := bom.Components[1]
	require.Equal(t, "Apache-2.0", ssl.Licenses[0].License.ID)
	require.Contains(t, ssl.Properties, struct{ Name, Value string }{"dockward:package:source-name", "openssl"})
	require.Contains(t, ssl.Properties, struct{ Name, Value string }{"dockward:layer:digest", "sha256:aaaa"})
	require.Equal(t, "/var/lib/dpkg/status", ssl.Evidence.Occurrences[0].Location)
	require.Equal(t, "layer 0 (sha256:aaaa)", ssl.Evidence.Occurrences[0].AdditionalContext)

	log4j := bom.Components[2]
	require.Equal(t, "org.apache.logging.log4j", log4j.Group)
	require.Equal(t, "log4j-core", log4j.Name)
	require.Equal(t, "https://www.apache.org/licenses/LICENSE-2.0.txt", log4j.Licenses[0].License.Name)

	require.Equal(t, "pkg:gem/rack@3.0.8", bom.Components[3].BOMRef)
	require.Equal(t, "pkg:gem/rack@3.0.8#/b/rack.gemspec", bom.Components[4].BOMRef, "duplicate PURLs get unique refs")

	require.Equal(t, "library", bom.Components[5].Type, "Go standard library")
	app := bom.Components[6]
	require.Equal(t, "application", app.Type, "Go main module")
	require.Equal(t, "example.com/app", app.Name)
	require.Empty(t, app.Version)
	require.Equal(t, "pkg:golang/example.com/app", app.PURL)

	require.Len(t, bom.Dependencies, 1)
	require.Len(t, bom.Dependencies[0].DependsOn, 7)
}

func TestWriteSPDX(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, FormatSPDXJSON, testInventory(), testOptions))

	doc, err := spdxjson.Read(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err, "parsing the document back with tools-golang")
	require.Equal(t, "SPDX-2.3", doc.SPDXVersion)
	require.Equal(t, "example.com/app:1.0", doc.DocumentName)
	require.True(t, strings.HasPrefix(doc.DocumentNamespace, namespaceBase))
	require.Equal(t, "2026-12-04T10:00:00Z", doc.CreationInfo.Created)
	require.Equal(t, "dockward-1.2.3", doc.CreationInfo.Creators[0].Creator)

	require.Len(t, doc.Packages, 8)
	require.Equal(t, "dockward:image:manifest-digest=sha256:feed; dockward:image:config-digest=sha256:c0f1",
		doc.Packages[0].PackageComment)
	type pkg struct{ Name, Version, PURL, Declared, Purpose string }
	var got []pkg
	ids := make(map[string]bool)
	for _, p := range doc.Packages {
		purl := ""
		if len(p.PackageExternalReferences) > 0 {
			purl = p.PackageExternalReferences[0].Locator
		}
		got = append(got, pkg{p.PackageName, p.PackageVersion, purl, p.PackageLicenseDeclared, p.PrimaryPackagePurpose})
		require.False(t, ids[string(p.PackageSPDXIdentifier)], "duplicate SPDX ID %s", p.PackageSPDXIdentifier)
		ids[string(p.PackageSPDXIdentifier)] = true
	}
	require.Equal(t, []pkg{
		{"example.com/app:1.0", "sha256:feed", "", "NOASSERTION", "CONTAINER"},
		{"debian", "12", "", "NOASSERTION", "OPERATING-SYSTEM"},
		{"libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "Apache-2.0", "LIBRARY"},
		{"org.apache.logging.log4j:log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
			"LicenseRef-https-www.apache.org-licenses-LICENSE-2.0.txt", "LIBRARY"},
		{"rack", "3.0.8", "pkg:gem/rack@3.0.8", "MIT AND GPL-2.0-only", "LIBRARY"},
		{"rack", "3.0.8", "pkg:gem/rack@3.0.8", "NOASSERTION", "LIBRARY"},
		{"stdlib", "go1.22.3", "pkg:golang/stdlib@go1.22.3", "NOASSERTION", "LIBRARY"},
		{"example.com/app", "", "pkg:golang/example.com/app", "NOASSERTION", "APPLICATION"},
	}, got)

	require.Len(t, doc.OtherLicenses, 1)
	other := doc.OtherLicenses[0]
	require.Equal(t, "LicenseRef-https-www.apache.org-licenses-LICENSE-2.0.txt", other.LicenseIdentifier)
	require.Equal(t, "https://www.apache.org/licenses/LICENSE-2.0.txt", other.LicenseName)
	require.Equal(t, "https://www.apache.org/licenses/LICENSE-2.0.txt", other.ExtractedText)
	require.Equal(t, []string{"https://www.apache.org/licenses/LICENSE-2.0.txt"}, other.LicenseCrossReferences)

	require.Len(t, doc.Relationships, 8)
	require.Equal(t, "DESCRIBES", doc.Relationships[0].Relationship)
	for _, r := range doc.Relationships[1:] {
		require.Equal(t, "CONTAINS", r.Relationship)
		require.True(t, ids[string(r.RefB.ElementRefID)], "relationship to unknown %s", r.RefB.ElementRefID)
	}
}

// TestWriteSPDXLicenseRefs writes Debian's licence names, which are not
// SPDX identifiers, and expects every LicenseRef in a package's declared
// licence to have exactly one extracted licensing info entry.
func TestWriteSPDXLicenseRefs(t *testing.T) {
	bash := []string{"GPL-3+", "GPL-3+ with Bison exception", "GPL-2+", "GFDL-NIV-1.3", "Latex2e",
		"BSD-4-clause-UC and MIT-like", "BSD-4-clause-UC", "MIT-like", "permissive"}
	inv := &pkgdb.Inventory{Packages: []pkgdb.Package{
		{Name: "bash", Version: "5.2.15-2+b7", Type: "deb", Licenses: bash, LayerIndex: -1},
		{Name: "tar", Version: "1.34+dfsg-1.2+deb12u1", Type: "deb", LayerIndex: -1,
			Licenses: []string{"GPL-3+", "GPL-3+ with Bison exception", "LGPL-3+", "GPL-2+"}},
	}}
	var buf bytes.Buffer
	require.NoError(t, WriteSPDX(&buf, inv, testOptions))
	doc, err := spdxjson.Read(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err, "parsing the document back with tools-golang")

	require.Equal(t, "GPL-3.0-or-later AND LicenseRef-GPL-3-with-Bison-exception AND GPL-2.0-or-later AND "+
		"LicenseRef-GFDL-NIV-1.3 AND Latex2e AND LicenseRef-BSD-4-clause-UC-and-MIT-like AND "+
		"BSD-4-Clause-UC AND LicenseRef-MIT-like AND LicenseRef-permissive",
		doc.Packages[1].PackageLicenseDeclared)
	require.Equal(t, "GPL-3.0-or-later AND LicenseRef-GPL-3-with-Bison-exception AND LGPL-3.0-or-later AND "+
		"GPL-2.0-or-later", doc.Packages[2].PackageLicenseDeclared)

	extracted := make(map[string]string)
	for _, o := range doc.OtherLicenses {
		require.NotContains(t, extracted, o.LicenseIdentifier, "listed twice")
		extracted[o.LicenseIdentifier] = o.LicenseName
	}
	require.Len(t, extracted, 5)
	require.Equal(t, "GPL-3+ with Bison exception", extracted["LicenseRef-GPL-3-with-Bison-exception"])
	idstring := regexp.MustCompile(`^LicenseRef-[A-Za-z0-9.\-]+$`)
	for _, p := range doc.Packages[1:] {
		for _, tok := range strings.Fields(p.PackageLicenseDeclared) {
			if strings.HasPrefix(tok, "LicenseRef-") {
				require.Regexp(t, idstring, tok)
				require.Contains(t, extracted, tok, "package %s", p.PackageName)
			}
		}
	}
}

func TestWriteSubjectConfigDigestOnly(t *testing.T) {
	opts := testOptions
	opts.Subject = Subject{Name: "app.tar", Image: true, ConfigDigest: "sha256:c0f1"}

	var buf bytes.Buffer
	require.NoError(t, WriteCycloneDX(&buf, &pkgdb.Inventory{}, opts))
	var bom struct {
		Metadata struct {
			Component struct {
				Version    string
				Properties []struct{ Name, Value string }
			} `json:"component"`
		} `json:"metadata"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &bom))
	require.Equal(t, "sha256:c0f1", bom.Metadata.Component.Version)
	require.Equal(t, []struct{ Name, Value string }{{"dockward:image:config-digest", "sha256:c0f1"}},
		bom.Metadata.Component.Properties)

	buf.Reset()
	require.NoError(t, WriteSPDX(&buf, &pkgdb.Inventory{}, opts))
	doc, err := spdxjson.Read(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	require.Equal(t, "sha256:c0f1", doc.Packages[0].PackageVersion)
	require.Equal(t, "dockward:image:config-digest=sha256:c0f1", doc.Packages[0].PackageComment)

	// A directory has neither digest.
	buf.Reset()
	require.NoError(t, WriteSPDX(&buf, &pkgdb.Inventory{}, Options{Subject: Subject{Name: "rootfs"}}))
	doc, err = spdxjson.Read(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	require.Empty(t, doc.Packages[0].PackageVersion)
	require.Empty(t, doc.Packages[0].PackageComment)
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "spdx-tv", testInventory(), testOptions)
	require.ErrorContains(t, err, `unknown SBOM format "spdx-tv": use cyclonedx or spdx-json`)
}

func TestWriteNeverIncludesSymbols(t *testing.T) {
	for _, format := range Formats {
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, format, testInventory(), testOptions))
		require.NotContains(t, buf.String(), "net/http.Get", format)
	}
}

// TestCycloneDXSchemaRejects shows that the schema check can fail: a
// component type outside the specification's list is rejected.
func TestCycloneDXSchemaRejects(t *testing.T) {
	schema := cycloneDXSchema(t)
	var buf bytes.Buffer
	require.NoError(t, WriteCycloneDX(&buf, testInventory(), testOptions))
	bad := strings.Replace(buf.String(), `"type": "library"`, `"type": "gadget"`, 1)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	require.NoError(t, err)
	require.Error(t, schema.Validate(doc))
}
