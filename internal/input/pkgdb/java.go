package pkgdb

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

// Limits on reading Java archives inside archives, which are held in
// memory while their own nested archives are read. The archives open at
// once along one nesting path take at most maxJavaDepth times
// maxNestedArchive bytes.
const (
	maxJavaDepth      = 4        // archives nested inside the outermost one
	maxNestedArchive  = 32 << 20 // bytes of one nested archive
	maxNestedTotal    = 256 << 20
	maxJavaMetadata   = 1 << 20 // bytes of a manifest or pom.properties
	javaNestedDivider = "!/"
)

var javaArchiveExts = []string{".jar", ".war", ".ear", ".par", ".sar", ".jpi", ".hpi", ".nar"}

func isJavaArchive(name string) bool {
	ext := path.Ext(name)
	for _, e := range javaArchiveExts {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

func matchJava(p string, _ fs.FileMode, size int64) bool {
	return size <= maxBinarySize && isJavaArchive(p)
}

func parseJavaEntry(_ *scan, e *image.Entry) ([]Package, error) {
	r, size, err := openEntry(e)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return ParseJavaArchive(e.Path, r, size)
}

// ParseJavaArchive lists the Maven artifacts in a Java archive and the
// archives nested in it, such as WEB-INF/lib/*.jar in a war. Each
// META-INF/maven/GROUP/ARTIFACT/pom.properties is one artifact. An archive
// without one is identified from its manifest when that names a group
// (Implementation-Vendor-Id) and a version. Nested packages have paths
// such as "/app.war!/WEB-INF/lib/x.jar".
func ParseJavaArchive(name string, r io.ReaderAt, size int64) ([]Package, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("opening Java archive: %w", err)
	}
	budget := int64(maxNestedTotal)
	return javaArchive(name, zr, 0, &budget)
}

func javaArchive(name string, zr *zip.Reader, depth int, budget *int64) ([]Package, error) {
	var (
		pkgs     []Package
		errs     []error
		manifest map[string]string
	)
	for _, f := range zr.File {
		switch {
		case strings.EqualFold(f.Name, "META-INF/MANIFEST.MF"):
			data, err := readZipFile(f, maxJavaMetadata)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
				continue
			}
			manifest = parseJavaManifest(data)
		case strings.HasPrefix(f.Name, "META-INF/maven/") && path.Base(f.Name) == "pom.properties":
			data, err := readZipFile(f, maxJavaMetadata)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
				continue
			}
			if p := parsePomProperties(data); p != nil {
				p.Path = name
				pkgs = append(pkgs, *p)
			}
		}
	}

	// Shaded jars carry the pom.properties of the libraries copied into
	// them, so the archive's own identity comes from its manifest unless
	// one of them names the artifact in the file name.
	artifact, _ := javaFileArtifact(name)
	own := slices.ContainsFunc(pkgs, func(p Package) bool { return strings.HasSuffix(p.Name, ":"+artifact) })
	if !own {
		if p := javaManifestPackage(name, manifest); p != nil {
			pkgs = append(pkgs, *p)
		}
	}
	if lic := manifest["Bundle-License"]; lic != "" {
		for i := range pkgs {
			if pkgs[i].Licenses == nil {
				pkgs[i].Licenses = []string{lic}
			}
		}
	}

	for _, f := range zr.File {
		if !isJavaArchive(f.Name) || strings.HasSuffix(f.Name, "/") {
			continue
		}
		nested, err := javaNested(name+javaNestedDivider+f.Name, f, depth, budget)
		pkgs = append(pkgs, nested...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return pkgs, errors.Join(errs...)
}

func javaNested(name string, f *zip.File, depth int, budget *int64) ([]Package, error) {
	if depth+1 > maxJavaDepth {
		return nil, fmt.Errorf("%s: nested deeper than %d archives, not read", name, maxJavaDepth)
	}
	if f.UncompressedSize64 > maxNestedArchive || int64(f.UncompressedSize64) > *budget {
		return nil, fmt.Errorf("%s: %d bytes is over the nested archive limit", name, f.UncompressedSize64)
	}
	data, err := readZipFile(f, maxNestedArchive)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	*budget -= int64(len(data))
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: opening Java archive: %w", name, err)
	}
	return javaArchive(name, zr, depth+1, budget)
}

// readZipFile reads a member of at most limit bytes, whatever size its
// header claims.
func readZipFile(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("member is over the %d-byte limit", limit)
	}
	return data, nil
}

// parsePomProperties reads the groupId, artifactId and version keys of a
// Java properties file.
func parsePomProperties(data []byte) *Package {
	props := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i < 0 {
			continue
		}
		props[strings.TrimSpace(line[:i])] = strings.TrimSpace(line[i+1:])
	}
	g, a, v := props["groupId"], props["artifactId"], props["version"]
	if g == "" || a == "" || v == "" {
		return nil
	}
	return &Package{Name: g + ":" + a, Version: v, Type: "maven"}
}

// parseJavaManifest reads the main section of a JAR manifest: "Name: value"
// lines, continued on lines that start with one space.
func parseJavaManifest(data []byte) map[string]string {
	m := make(map[string]string)
	last := ""
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			break
		}
		if line[0] == ' ' {
			if last != "" {
				m[last] += line[1:]
			}
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = strings.TrimSpace(key)
		m[last] = strings.TrimSpace(val)
	}
	return m
}

var javaFileVersion = regexp.MustCompile(`^(.+?)-(\d[\w.\-]*)$`)

// javaFileArtifact splits an archive's file name such as
// "guava-31.1-jre.jar" into the artifact and the version, which is empty
// when the name has none.
func javaFileArtifact(name string) (string, string) {
	if i := strings.LastIndex(name, javaNestedDivider); i >= 0 {
		name = name[i+len(javaNestedDivider):]
	}
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if m := javaFileVersion.FindStringSubmatch(base); m != nil {
		return m[1], m[2]
	}
	return base, ""
}

// javaManifestPackage identifies an archive from its manifest. The group
// is Implementation-Vendor-Id, else the OSGi Bundle-SymbolicName. The
// artifact is the file name without its version. The version is
// Implementation-Version, else Bundle-Version, else the file name's.
//
// NOTE: the Bundle-SymbolicName is a guess at the group, which is wrong
// for bundles named after their package rather than their Maven group.
func javaManifestPackage(name string, m map[string]string) *Package {
	artifact, fileVersion := javaFileArtifact(name)
	group := m["Implementation-Vendor-Id"]
	if group == "" {
		group, _, _ = strings.Cut(m["Bundle-SymbolicName"], ";")
		group = strings.TrimSpace(group)
	}
	version := cmp.Or(m["Implementation-Version"], m["Bundle-Version"], fileVersion)
	if group == "" || version == "" || artifact == "" {
		return nil
	}
	p := &Package{Name: group + ":" + artifact, Version: version, Type: "maven", Path: name}
	if lic := m["Bundle-License"]; lic != "" {
		p.Licenses = []string{lic}
	}
	return p
}
