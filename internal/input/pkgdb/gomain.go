package pkgdb

import (
	"debug/buildinfo"
	"regexp"
	"strings"
	"time"
)

// semverPattern matches a semantic version 2.0.0 with an optional "v".
var semverPattern = regexp.MustCompile(`^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)` +
	`(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// pseudoVersionPattern matches the timestamp and revision that end the
// pre-release part of a Go pseudo-version, before any build metadata.
var pseudoVersionPattern = regexp.MustCompile(`[-.][0-9]{14}-[0-9a-f]{12}(\+[0-9A-Za-z.-]+)?$`)

// goMainVersion decides the version of the main module of a Go binary, in
// this order:
//
//  1. A release version from build information, as "go install
//     module@version" records it, and since Go 1.24 "go build" for a
//     commit with a semantic version tag.
//  2. A version that -ldflags sets with -X on a variable named version or
//     Version in package main or the main module, when build information
//     has only a pseudo-version or "(devel)". Release builds often stamp
//     their tag this way, but Go records -ldflags only for builds without
//     -trimpath.
//  3. The pseudo-version from build information, which Go 1.24 and later
//     derive from the VCS commit for untagged commits.
//  4. A pseudo-version made from the vcs.revision and vcs.time settings,
//     for older toolchains that recorded them but wrote "(devel)".
//
// Otherwise the version is empty: "(devel)" names no release, so it is
// not reported as one. Build metadata such as "+dirty", which Go adds for
// a modified working tree, is kept.
func goMainVersion(bi *buildinfo.BuildInfo) string {
	version := bi.Main.Version
	if version == "(devel)" {
		version = ""
	}
	if version != "" && !pseudoVersionPattern.MatchString(version) {
		return version
	}
	if v := ldflagsVersion(bi); v != "" {
		return v
	}
	if version != "" {
		return version
	}
	return vcsPseudoVersion(bi)
}

// ldflagsVersion returns the semantic version that an -X linker flag
// assigns to a version variable of the main package or main module,
// prefixed with "v" as Go module versions are.
func ldflagsVersion(bi *buildinfo.BuildInfo) string {
	var flags string
	for _, s := range bi.Settings {
		if s.Key == "-ldflags" {
			flags = s.Value
		}
	}

	fields := strings.Fields(flags)
	for i := 0; i < len(fields); i++ {
		var assignment string
		switch f := strings.TrimLeft(fields[i], "-"); {
		case f == "X" && i+1 < len(fields):
			i++
			assignment = fields[i]
		case strings.HasPrefix(f, "X="):
			assignment = strings.TrimPrefix(f, "X=")
		default:
			continue
		}

		name, value, ok := strings.Cut(strings.Trim(assignment, `'"`), "=")
		if !ok || !isVersionVariable(name, bi.Main.Path) || !semverPattern.MatchString(value) {
			continue
		}
		if !strings.HasPrefix(value, "v") {
			value = "v" + value
		}
		return value
	}
	return ""
}

// isVersionVariable reports whether name, as "import/path.Variable", is a
// variable named version or Version in package main or in a package of the
// module at modulePath.
func isVersionVariable(name, modulePath string) bool {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return false
	}
	pkg, variable := name[:i], name[i+1:]
	if variable != "version" && variable != "Version" {
		return false
	}
	return pkg == "main" || modulePath != "" && (pkg == modulePath || strings.HasPrefix(pkg, modulePath+"/"))
}

// vcsPseudoVersion builds a pseudo-version of the form
// v0.0.0-yyyymmddhhmmss-abcdefabcdef from the vcs.revision and vcs.time
// build settings, with "+dirty" when vcs.modified is true. Go 1.24 and
// later stamp this form for a commit with no earlier tag. It returns ""
// unless the revision is a hexadecimal commit hash and the time parses.
func vcsPseudoVersion(bi *buildinfo.BuildInfo) string {
	settings := make(map[string]string)
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}

	revision := settings["vcs.revision"]
	if len(revision) < 12 || strings.Trim(revision, "0123456789abcdef") != "" {
		return ""
	}
	stamp, err := time.Parse(time.RFC3339, settings["vcs.time"])
	if err != nil {
		return ""
	}

	version := "v0.0.0-" + stamp.UTC().Format("20060102150405") + "-" + revision[:12]
	if settings["vcs.modified"] == "true" {
		version += "+dirty"
	}
	return version
}
