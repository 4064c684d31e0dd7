package pkgdb

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

// Limits on reading Java archives inside archives.
const (
	maxJavaDepth      = 4        // archives nested inside the outermost one
	maxNestedArchive  = 64 << 20 // bytes of one nested archive
	maxNestedTotal    = 256 << 20
	maxJavaMetadata   = 1 << 20 // bytes of a manifest or pom.properties
	javaNestedDivider = "!/"
)

var javaArchiveExts = []string{".jar", ".war", ".ear", ".par", ".sar", ".jpi", ".hpi", ".nar"}

func isJavaArchive(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range javaArchiveExts {
		if ext == e {
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

	if len(pkgs) == 0 {
		if p := javaManifestPackage(name, manifest); p != nil {
			pkgs = append(pkgs, *p)
		}
	} else if lic := manifest["Bundle-License"]; lic != "" {
		for i := range pkgs {
			pkgs[i].Licenses = []string{lic}
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

// javaManifestPackage identifies an archive from its manifest: the group
// from Implementation-Vendor-Id, the artifact from the file name without
// its version, else Implementation-Title, and the version from
// Implementation-Version, else Bundle-Version.
func javaManifestPackage(name string, m map[string]string) *Package {
	group := m["Implementation-Vendor-Id"]
	version := m["Implementation-Version"]
	if version == "" {
		version = m["Bundle-Version"]
	}
	if group == "" || version == "" {
		return nil
	}
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	artifact := base
	if sm := javaFileVersion.FindStringSubmatch(base); sm != nil {
		artifact = sm[1]
	}
	if artifact == "" {
		artifact = m["Implementation-Title"]
	}
	p := &Package{Name: group + ":" + artifact, Version: version, Type: "maven", Path: name}
	if lic := m["Bundle-License"]; lic != "" {
		p.Licenses = []string{lic}
	}
	return p
}
