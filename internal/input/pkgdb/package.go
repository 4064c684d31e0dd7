// Package pkgdb catalogues the packages installed in an image or a root
// file system: OS packages from their databases and language packages
// from their manifests and binaries. It reads; it does not judge.
//
// It sits between the layer engine, whose tree it reads through the
// Request it declares, and the consumers of the Inventory: SBOM writers
// and the vulnerability matcher. The catalogers read:
//
//	dpkg      /var/lib/dpkg/status, status.d/* (distroless)
//	apk       /lib/apk/db/installed
//	rpm       rpmdb.sqlite (SQLite), Packages (Berkeley DB hash),
//	          Packages.db (NDB), in /var/lib/rpm or /usr/lib/sysimage/rpm
//	Go        build information and function names of executables
//	Rust      the .dep-v0 section that cargo-auditable writes
//	npm       node_modules/NAME/package.json
//	Python    *.dist-info/METADATA, *.egg-info/PKG-INFO
//	Java      pom.properties and MANIFEST.MF of jar, war and ear files,
//	          nested archives included up to 4 levels
//	Ruby      specifications/*.gemspec
//	PHP       vendor/composer/installed.json (Composer 1 and 2)
//	.NET      *.deps.json
//
// Known limits: the rpm readers ignore an unmerged SQLite write-ahead log;
// gem specifications are matched as text, never evaluated; executables
// under 64 KiB are not checked for Go or Rust build data.
package pkgdb

// Package is one installed package.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Type is the PURL type: deb, apk, rpm, golang, npm, pypi, maven,
	// cargo, gem, composer, nuget.
	Type string `json:"type"`
	// Ecosystem is the OSV ecosystem, with the release for distributions:
	// "Debian:12", "Alpine:v3.20", "Go", "npm", "PyPI", "crates.io".
	Ecosystem string `json:"ecosystem"`
	PURL      string `json:"purl"`

	// SourceName and SourceVersion name the source package where the
	// format has one (Debian, RPM); advisories of Debian and Ubuntu are
	// written against it.
	SourceName    string `json:"source_name,omitempty"`
	SourceVersion string `json:"source_version,omitempty"`

	Licenses []string `json:"licenses,omitempty"`
	Arch     string   `json:"arch,omitempty"`

	// Path is the file the package was found in, such as
	// /var/lib/dpkg/status or /usr/local/bin/app; LayerIndex and
	// LayerDigest say which layer added it (-1 and "" outside images).
	Path        string `json:"path"`
	LayerIndex  int    `json:"layer_index"`
	LayerDigest string `json:"layer_digest,omitempty"`

	// Symbols lists the functions linked into a Go binary, as
	// "package.Function" or "package.Type.Method", for reachability of
	// advisories; empty for other types.
	Symbols []string `json:"-"`
	// GoVersion is the toolchain that built a Go binary ("go1.22.3").
	GoVersion string `json:"go_version,omitempty"`
	// Main marks the main module of a Go binary: the application itself,
	// not one of its dependencies.
	Main bool `json:"main,omitempty"`
}

// OS is the operating system release of an image.
type OS struct {
	ID        string `json:"id"`         // os-release ID: debian, ubuntu, alpine, rhel, ...
	VersionID string `json:"version_id"` // os-release VERSION_ID: 12, 22.04, 3.20.3
	Codename  string `json:"codename,omitempty"`
	Pretty    string `json:"pretty_name,omitempty"`
}

// Inventory is everything catalogued in one image or file system.
type Inventory struct {
	OS       *OS       `json:"os,omitempty"`
	Packages []Package `json:"packages"`
}
