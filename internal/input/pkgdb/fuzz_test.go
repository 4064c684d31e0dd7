package pkgdb

import (
	"bytes"
	"testing"
)

func FuzzParseDpkgStatus(f *testing.F) {
	f.Add(readTestdata(f, "dpkg/status"))
	f.Add(readTestdata(f, "dpkg/status.d/libssl3"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseDpkgStatus(data)
		copyrightLicenses(data)
	})
}

func FuzzParseAPKInstalled(f *testing.F) {
	f.Add(readTestdata(f, "apk/installed"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseAPKInstalled(data)
	})
}

func FuzzParseNPMPackage(f *testing.F) {
	f.Add(readTestdata(f, "npm/package.json"))
	f.Add(readTestdata(f, "npm/legacy-package.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseNPMPackage(data)
	})
}

func FuzzParsePythonMetadata(f *testing.F) {
	f.Add(readTestdata(f, "python/METADATA"))
	f.Add(readTestdata(f, "python/PKG-INFO"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePythonMetadata(data)
	})
}

func FuzzParseGemspec(f *testing.F) {
	f.Add(readTestdata(f, "gem/rack-3.0.8.gemspec"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseGemspec(data)
	})
}

func FuzzParseComposerInstalled(f *testing.F) {
	f.Add(readTestdata(f, "composer/installed-v1.json"))
	f.Add(readTestdata(f, "composer/installed-v2.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseComposerInstalled(data)
	})
}

func FuzzParseDepsJSON(f *testing.F) {
	f.Add(readTestdata(f, "dotnet/app.deps.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseDepsJSON(data)
	})
}

func FuzzParseJavaArchive(f *testing.F) {
	jar := zipArchive(f,
		[2]string{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Vendor-Id: g\nImplementation-Version: 1\n"},
		[2]string{"META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"})
	f.Add(jar)
	f.Add(zipArchive(f, [2]string{"WEB-INF/lib/a-1.jar", string(jar)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseJavaArchive("/fuzz.jar", bytes.NewReader(data), int64(len(data)))
		parseJavaManifest(data)
		parsePomProperties(data)
	})
}

func FuzzParseBinary(f *testing.F) {
	f.Add(auditableELF(f, `{"packages":[{"name":"serde","version":"1.0.0","source":"crates.io"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseBinary(bytes.NewReader(data), int64(len(data)))
		parseCargoAuditJSON(data)
	})
}
