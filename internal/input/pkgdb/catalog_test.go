package pkgdb

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/image"
)

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(tb, err)
	return data
}

// zipArchive builds a zip file of name and content pairs.
func zipArchive(tb testing.TB, files ...[2]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		require.NoError(tb, err)
		_, err = w.Write([]byte(f[1]))
		require.NoError(tb, err)
	}
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

// ref is the part of a package that catalogue tests compare.
type ref struct {
	Type, Name, Version, PURL, Path string
	Source                          string
	Licenses                        []string
	Layer                           int
}

func refs(pkgs []Package) []ref {
	var out []ref
	for _, p := range pkgs {
		r := ref{Type: p.Type, Name: p.Name, Version: p.Version, PURL: p.PURL, Path: p.Path,
			Licenses: p.Licenses, Layer: p.LayerIndex}
		if p.SourceName != "" {
			r.Source = p.SourceName + " " + p.SourceVersion
		}
		out = append(out, r)
	}
	return out
}

func TestCatalogDebian(t *testing.T) {
	tree := newMemTree(t,
		memFile{path: "/usr/lib/os-release", content: []byte("ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n")},
		memFile{path: "/etc/os-release", link: "../usr/lib/os-release"},
		memFile{path: dpkgStatus, content: readTestdata(t, "dpkg/status"), layer: 1},
		memFile{path: "/usr/share/doc/libssl3/copyright", content: readTestdata(t, "dpkg/copyright")},
	)
	inv, problems := Catalog(context.Background(), tree)
	require.Empty(t, problems)
	require.Equal(t, &OS{ID: "debian", VersionID: "12", Codename: "bookworm"}, inv.OS)

	p := "/var/lib/dpkg/status"
	want := []ref{
		{Type: "deb", Name: "base-files", Version: "12.4+deb12u5", Path: p, Layer: 1,
			PURL: "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12", Source: "base-files 12.4+deb12u5"},
		{Type: "deb", Name: "libc6", Version: "2.36-9+deb12u4", Path: p, Layer: 1,
			PURL: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", Source: "glibc 2.36-9+deb12u4"},
		{Type: "deb", Name: "libssl3", Version: "3.0.11-1~deb12u2+b1", Path: p, Layer: 1,
			PURL:   "pkg:deb/debian/libssl3@3.0.11-1~deb12u2%2Bb1?arch=amd64&distro=debian-12",
			Source: "openssl 3.0.11-1~deb12u2", Licenses: []string{"Apache-2.0"}},
		{Type: "deb", Name: "perl-base", Version: "5.36.0-7+deb12u1", Path: p, Layer: 1,
			PURL: "pkg:deb/debian/perl-base@5.36.0-7%2Bdeb12u1?arch=amd64&distro=debian-12", Source: "perl 5.36.0-7+deb12u1"},
	}
	if diff := cmp.Diff(want, refs(inv.Packages)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	require.Equal(t, "Debian:12", inv.Packages[0].Ecosystem)
	require.Equal(t, "sha256:layer1", inv.Packages[0].LayerDigest)
}

func TestCatalogDistroless(t *testing.T) {
	tree := newMemTree(t,
		memFile{path: "/etc/os-release", content: []byte("ID=debian\nVERSION_ID=12\n")},
		memFile{path: dpkgStatusDir + "/base-files", content: readTestdata(t, "dpkg/status.d/base-files")},
		memFile{path: dpkgStatusDir + "/libssl3", content: readTestdata(t, "dpkg/status.d/libssl3")},
		memFile{path: dpkgStatusDir + "/libssl3.md5sums", content: readTestdata(t, "dpkg/status.d/libssl3.md5sums")},
	)
	inv, problems := Catalog(context.Background(), tree)
	require.Empty(t, problems)
	want := []ref{
		{Type: "deb", Name: "base-files", Version: "12.4+deb12u5", Path: dpkgStatusDir + "/base-files",
			PURL: "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12", Source: "base-files 12.4+deb12u5"},
		{Type: "deb", Name: "libssl3", Version: "3.0.11-1~deb12u2", Path: dpkgStatusDir + "/libssl3",
			PURL: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", Source: "openssl 3.0.11-1~deb12u2"},
	}
	if diff := cmp.Diff(want, refs(inv.Packages)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

func TestCatalogAlpine(t *testing.T) {
	tree := newMemTree(t,
		memFile{path: "/etc/os-release", content: readTestdata(t, "os/os-release-alpine")},
		memFile{path: apkInstalled, content: readTestdata(t, "apk/installed")},
	)
	inv, problems := Catalog(context.Background(), tree)
	require.Empty(t, problems)
	want := []ref{
		{Type: "apk", Name: "busybox", Version: "1.36.1-r15", Path: apkInstalled, Licenses: []string{"GPL-2.0-only"},
			PURL: "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1", Source: "busybox 1.36.1-r15"},
		{Type: "apk", Name: "libcrypto3", Version: "3.1.4-r5", Path: apkInstalled, Licenses: []string{"Apache-2.0"},
			PURL: "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1", Source: "openssl 3.1.4-r5"},
		{Type: "apk", Name: "musl", Version: "1.2.4_git20230717-r4", Path: apkInstalled, Licenses: []string{"MIT"},
			PURL: "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1", Source: "musl 1.2.4_git20230717-r4"},
	}
	if diff := cmp.Diff(want, refs(inv.Packages)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	require.Equal(t, "Alpine:v3.19", inv.Packages[0].Ecosystem)
}

func TestCatalogRPM(t *testing.T) {
	tree := newMemTree(t,
		memFile{path: "/etc/os-release", content: readTestdata(t, "os/os-release-rocky")},
		memFile{path: "/var/lib/rpm/rpmdb.sqlite", content: readTestdata(t, "rpm/rpmdb.sqlite")},
		memFile{path: "/usr/lib/sysimage/rpm/Packages.db", content: ndbDB(testRPMHeaders()[1:2])},
	)
	inv, problems := Catalog(context.Background(), tree)
	require.Empty(t, problems)
	require.Len(t, inv.Packages, 2+sqliteFillers+1)

	var openssl []string
	for _, p := range inv.Packages {
		if p.Name == "openssl-libs" {
			openssl = append(openssl, p.PURL+" "+p.Ecosystem+" "+p.Path)
		}
	}
	require.Equal(t, []string{
		"pkg:rpm/rocky/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&distro=rocky-9.3&epoch=1 Rocky Linux:9 /usr/lib/sysimage/rpm/Packages.db",
		"pkg:rpm/rocky/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&distro=rocky-9.3&epoch=1 Rocky Linux:9 /var/lib/rpm/rpmdb.sqlite",
	}, openssl)
}

func TestCatalogLanguages(t *testing.T) {
	jar := zipArchive(t,
		[2]string{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nBundle-License: https://www.apache.org/licenses/LICENSE-2.0.txt\r\n"},
		[2]string{"META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
			"#Created by Apache Maven\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n"},
	)
	manifestOnly := zipArchive(t, [2]string{"META-INF/MANIFEST.MF",
		"Manifest-Version: 1.0\nImplementation-Vendor-Id: commons-lang\nImplementation-Version: 2.6\n"})
	war := zipArchive(t,
		[2]string{"WEB-INF/web.xml", "<web-app/>"},
		[2]string{"WEB-INF/lib/log4j-core-2.14.1.jar", string(jar)},
		[2]string{"WEB-INF/lib/commons-lang-2.6.jar", string(manifestOnly)},
	)
	dep := `{"packages":[` +
		`{"name":"app","version":"0.1.0","source":"local","root":true,"dependencies":[1,2]},` +
		`{"name":"serde","version":"1.0.190","source":"crates.io"},` +
		`{"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"}]}`

	tree := newMemTree(t,
		memFile{path: "/app/node_modules/@babel/core/package.json", content: readTestdata(t, "npm/package.json")},
		memFile{path: "/app/node_modules/ms/package.json", content: readTestdata(t, "npm/legacy-package.json")},
		memFile{path: "/app/node_modules/ms/test/package.json", content: readTestdata(t, "npm/legacy-package.json")},
		memFile{path: "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", content: readTestdata(t, "python/METADATA")},
		memFile{path: "/usr/lib/python3/site-packages/PyYAML-6.0.1.egg-info/PKG-INFO", content: readTestdata(t, "python/PKG-INFO")},
		memFile{path: "/usr/local/bundle/specifications/rack-3.0.8.gemspec", content: readTestdata(t, "gem/rack-3.0.8.gemspec")},
		memFile{path: "/srv/a/vendor/composer/installed.json", content: readTestdata(t, "composer/installed-v1.json")},
		memFile{path: "/srv/b/vendor/composer/installed.json", content: readTestdata(t, "composer/installed-v2.json")},
		memFile{path: "/app/app.deps.json", content: readTestdata(t, "dotnet/app.deps.json")},
		memFile{path: "/opt/app.war", content: war},
		memFile{path: "/usr/local/bin/rustapp", content: auditableELF(t, dep), mode: 0o755},
	)
	inv, problems := Catalog(context.Background(), tree)
	require.Empty(t, problems)
	require.Nil(t, inv.OS)

	want := []ref{
		{Type: "cargo", Name: "serde", Version: "1.0.190", PURL: "pkg:cargo/serde@1.0.190", Path: "/usr/local/bin/rustapp"},
		{Type: "composer", Name: "guzzlehttp/guzzle", Version: "7.8.0", PURL: "pkg:composer/guzzlehttp/guzzle@7.8.0",
			Path: "/srv/b/vendor/composer/installed.json", Licenses: []string{"MIT"}},
		{Type: "composer", Name: "monolog/monolog", Version: "1.27.1", PURL: "pkg:composer/monolog/monolog@1.27.1",
			Path: "/srv/a/vendor/composer/installed.json", Licenses: []string{"MIT"}},
		{Type: "composer", Name: "symfony/console", Version: "6.3.4", PURL: "pkg:composer/symfony/console@6.3.4",
			Path: "/srv/b/vendor/composer/installed.json", Licenses: []string{"MIT"}},
		{Type: "composer", Name: "symfony/polyfill-ctype", Version: "1.28.0", PURL: "pkg:composer/symfony/polyfill-ctype@1.28.0",
			Path: "/srv/a/vendor/composer/installed.json", Licenses: []string{"MIT"}},
		{Type: "gem", Name: "rack", Version: "3.0.8", PURL: "pkg:gem/rack@3.0.8",
			Path: "/usr/local/bundle/specifications/rack-3.0.8.gemspec", Licenses: []string{"MIT"}},
		{Type: "maven", Name: "commons-lang:commons-lang", Version: "2.6", PURL: "pkg:maven/commons-lang/commons-lang@2.6",
			Path: "/opt/app.war!/WEB-INF/lib/commons-lang-2.6.jar"},
		{Type: "maven", Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1",
			PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
			Path: "/opt/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar", Licenses: []string{"https://www.apache.org/licenses/LICENSE-2.0.txt"}},
		{Type: "npm", Name: "@babel/core", Version: "7.23.2", PURL: "pkg:npm/%40babel/core@7.23.2",
			Path: "/app/node_modules/@babel/core/package.json", Licenses: []string{"MIT"}},
		{Type: "npm", Name: "ms", Version: "0.7.1", PURL: "pkg:npm/ms@0.7.1",
			Path: "/app/node_modules/ms/package.json", Licenses: []string{"MIT"}},
		{Type: "nuget", Name: "Newtonsoft.Json", Version: "13.0.1", PURL: "pkg:nuget/Newtonsoft.Json@13.0.1", Path: "/app/app.deps.json"},
		{Type: "nuget", Name: "System.Text.Json", Version: "6.0.0", PURL: "pkg:nuget/System.Text.Json@6.0.0", Path: "/app/app.deps.json"},
		{Type: "pypi", Name: "PyYAML", Version: "6.0.1", PURL: "pkg:pypi/pyyaml@6.0.1",
			Path: "/usr/lib/python3/site-packages/PyYAML-6.0.1.egg-info/PKG-INFO", Licenses: []string{"MIT License"}},
		{Type: "pypi", Name: "requests", Version: "2.31.0", PURL: "pkg:pypi/requests@2.31.0",
			Path: "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", Licenses: []string{"Apache 2.0"}},
	}
	if diff := cmp.Diff(want, refs(inv.Packages)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

func TestCatalogProblems(t *testing.T) {
	tree := newMemTree(t,
		memFile{path: apkInstalled, content: []byte("P:musl\nV:1.2.4-r4\n\nbroken line\nP:zlib\nV:1.3-r2\n")},
		memFile{path: "/app/node_modules/x/package.json", content: []byte(`{"name": "x", "version": 1`)},
		memFile{path: "/var/lib/rpm/Packages", content: []byte("not a database")},
	)
	tree.byPath["/app/app.deps.json"] = &image.Entry{Path: "/app/app.deps.json", Mode: 0o644, Size: 10 << 20, Truncated: true}
	tree.entries = append(tree.entries, tree.byPath["/app/app.deps.json"])

	inv, problems := Catalog(context.Background(), tree)
	require.Len(t, inv.Packages, 2, "apk packages around the broken line are kept")
	want := []finding.Problem{
		{Path: "/app/app.deps.json", Kind: "read"},
		{Path: "/app/node_modules/x/package.json", Kind: "decode"},
		{Path: apkInstalled, Line: 4, Kind: "decode"},
		{Path: "/var/lib/rpm/Packages", Kind: "decode"},
	}
	if diff := cmp.Diff(want, problems, cmpopts.IgnoreFields(finding.Problem{}, "Reason")); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	require.Contains(t, problems[2].Reason, `invalid line "broken line"`)
}

func TestCatalogCancelled(t *testing.T) {
	tree := newMemTree(t, memFile{path: apkInstalled, content: readTestdata(t, "apk/installed")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	inv, problems := Catalog(ctx, tree)
	require.Empty(t, inv.Packages)
	require.Len(t, problems, 1)
	require.Equal(t, "skipped", problems[0].Kind)
}

func TestRequest(t *testing.T) {
	req := Request()
	tests := []struct {
		path string
		mode fs.FileMode
		size int64
		want image.Want
	}{
		{"/etc/os-release", 0o644, 300, image.WantContent},
		{"/var/lib/dpkg/status", 0o644, 1 << 20, image.WantContent},
		{"/var/lib/dpkg/status.d/tzdata", 0o644, 300, image.WantContent},
		{"/var/lib/dpkg/status.d/tzdata.md5sums", 0o644, 300, image.WantNone},
		{"/usr/share/doc/bash/copyright", 0o644, 3000, image.WantContent},
		{"/usr/share/doc/firmware/copyright", 0o644, 1 << 20, image.WantNone},
		{"/usr/share/doc/bash/examples/copyright", 0o644, 3000, image.WantNone},
		{"/lib/apk/db/installed", 0o644, 1 << 20, image.WantContent},
		{"/var/lib/rpm/Packages", 0o644, 1 << 20, image.WantSpill},
		{"/usr/lib/sysimage/rpm/rpmdb.sqlite", 0o644, 1 << 20, image.WantSpill},
		{"/usr/local/bin/app", 0o755, 1 << 20, image.WantSpill},
		{"/usr/local/bin/script.sh", 0o755, 200, image.WantNone},
		{"/usr/bin/small-c-tool", 0o755, 40 << 10, image.WantNone},
		{"/opt/app.jar", 0o755, 1 << 20, image.WantSpill},
		{"/app/node_modules/a/package.json", 0o644, 300, image.WantContent},
		{"/app/node_modules/a/lib/package.json", 0o644, 300, image.WantNone},
		{"/app/package.json", 0o644, 300, image.WantNone},
		{"/x/y.dist-info/METADATA", 0o644, 300, image.WantContent},
		{"/x/y.dist-info/RECORD", 0o644, 300, image.WantNone},
		{"/etc/passwd", 0o644, 300, image.WantNone},
		{"/var/lib/dpkg/status", fs.ModeDir | 0o755, 0, image.WantNone},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			require.Equal(t, tt.want, req(tt.path, tt.mode, tt.size))
		})
	}
}

func TestParseDpkgStatusErrors(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		wantErr string
		want    int
	}{
		{name: "continuation first", data: " orphan\n", wantErr: "line 1: continuation line outside a field"},
		{name: "no colon", data: "Package: a\nVersion: 1\n\nnot a field\n", wantErr: "line 4: invalid field line", want: 1},
		{name: "crlf", data: "Package: a\r\nVersion: 1\r\n", want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDpkgStatus([]byte(tt.data))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			require.Len(t, got, tt.want)
		})
	}
}

func TestParseJavaArchiveLimits(t *testing.T) {
	inner := zipArchive(t, [2]string{"META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"})
	nested := inner
	for range maxJavaDepth + 1 {
		nested = zipArchive(t, [2]string{"lib/x.jar", string(nested)})
	}
	got, err := ParseJavaArchive("/deep.jar", bytes.NewReader(nested), int64(len(nested)))
	require.ErrorContains(t, err, "nested deeper than 4 archives")
	require.Empty(t, got)

	_, err = ParseJavaArchive("/bad.jar", bytes.NewReader([]byte("PK\x03\x04 not a zip")), 17)
	require.ErrorContains(t, err, "opening Java archive")
}

func TestCatalogLayerAttribution(t *testing.T) {
	base := "P:musl\nV:1.2.4-r1\nA:x86_64\n\nP:busybox\nV:1.36.1-r2\nA:x86_64\n"
	withCurl := base + "\nP:curl\nV:8.4.0-r0\nA:x86_64\n"
	upgraded := "P:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r2\nA:x86_64\n\nP:curl\nV:8.4.0-r0\nA:x86_64\n"
	final := upgraded + "\nP:zlib\nV:1.3-r2\nA:x86_64\n"

	tree := newMemTree(t, memFile{path: apkInstalled, content: []byte(final), layer: 4})
	tree.addRemoved(apkInstalled, 3, []byte(upgraded))
	tree.addRemoved(apkInstalled, 0, []byte(base))
	tree.addRemoved(apkInstalled, 2, []byte(withCurl))
	tree.addRemoved("/other/file", 1, []byte(base))

	inv, problems := Catalog(context.Background(), tree)
	require.Empty(t, problems)
	got := make(map[string]int)
	for _, p := range inv.Packages {
		got[p.Name] = p.LayerIndex
	}
	want := map[string]int{
		"busybox": 0, // unchanged since the base layer
		"curl":    2, // added in layer 2
		"musl":    3, // upgraded in layer 3
		"zlib":    4, // added in the final layer
	}
	require.Equal(t, want, got)
	require.Equal(t, "sha256:layer2", inv.Packages[1].LayerDigest)
}

// layerTar builds an uncompressed layer of regular files.
func layerTar(tb testing.TB, files map[string]string) image.Layer {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		body := files[name]
		require.NoError(tb, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)),
			Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(body))
		require.NoError(tb, err)
	}
	require.NoError(tb, tw.Close())
	data := buf.Bytes()
	return image.Layer{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

// TestCatalogImageLayers runs the catalogue on the layer engine's tree, so
// that requests, spilled files and replaced databases work together.
func TestCatalogImageLayers(t *testing.T) {
	layers := []image.Layer{
		layerTar(t, map[string]string{
			"etc/os-release":        "ID=alpine\nVERSION_ID=3.19.1\n",
			"lib/apk/db/installed":  "P:musl\nV:1.2.4-r1\nA:x86_64\n",
			"var/lib/rpm/Packages":  string(berkeleyDB(512, testRPMHeaders())),
			"usr/share/doc/x/other": "not requested",
		}),
		layerTar(t, map[string]string{
			"lib/apk/db/installed": "P:musl\nV:1.2.4-r1\nA:x86_64\n\nP:curl\nV:8.4.0-r0\nA:x86_64\n",
		}),
	}
	ctx := context.Background()
	tree, problems, err := image.Read(ctx, layers, image.Options{Request: Request()})
	require.NoError(t, err)
	require.Empty(t, problems)
	defer tree.Close()

	inv, catProblems := Catalog(ctx, tree)
	require.Empty(t, catProblems)
	var got []string
	for _, p := range inv.Packages {
		got = append(got, fmt.Sprintf("%s %s %s layer %d", p.Type, p.Name, p.Version, p.LayerIndex))
	}
	require.Equal(t, []string{
		"apk curl 8.4.0-r0 layer 1",
		"apk musl 1.2.4-r1 layer 0",
		"rpm bash 4.4.20-4.el8_6 layer 0",
		"rpm openssl-libs 1:1.1.1k-7.el8_6 layer 0",
	}, got)
}

func TestParseJavaArchiveShaded(t *testing.T) {
	jar := zipArchive(t,
		[2]string{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nBundle-SymbolicName: com.google.inject;singleton:=true\nBundle-Version: 4.2.3\n"},
		[2]string{"META-INF/maven/cglib/cglib/pom.properties", "groupId=cglib\nartifactId=cglib\nversion=3.3.0\n"},
	)
	got, err := ParseJavaArchive("/usr/share/java/guice-4.2.3.jar", bytes.NewReader(jar), int64(len(jar)))
	require.NoError(t, err)
	var names []string
	for _, p := range got {
		names = append(names, p.Name+"@"+p.Version)
	}
	require.Equal(t, []string{"cglib:cglib@3.3.0", "com.google.inject:guice@4.2.3"}, names)
}
