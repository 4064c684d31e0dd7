package pkgdb

import (
	"bufio"
	"bytes"
	"io/fs"
	"path"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

// matchPython accepts the metadata of installed distributions: wheel
// installs (name.dist-info/METADATA) and egg or setuptools installs
// (name.egg-info/PKG-INFO, or name.egg-info as a single file).
func matchPython(p string, _ fs.FileMode, _ int64) bool {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case base == "METADATA":
		return strings.HasSuffix(dir, ".dist-info")
	case base == "PKG-INFO":
		return strings.HasSuffix(dir, ".egg-info")
	}
	// A single-file egg-info describes an installed distribution only in a
	// package directory that Python searches.
	if !strings.HasSuffix(base, ".egg-info") {
		return false
	}
	return hasSegment(p, "site-packages") || hasSegment(p, "dist-packages")
}

func parsePythonEntry(_ *scan, e *image.Entry) ([]Package, error) {
	data, err := entryBytes(e)
	if err != nil {
		return nil, err
	}
	p := ParsePythonMetadata(data)
	if p == nil {
		return nil, nil
	}
	return []Package{*p}, nil
}

// ParsePythonMetadata reads the core metadata of a Python distribution
// (an email-style header block). The licence comes from
// License-Expression, else a one-line License field, else the licence
// classifiers. It returns nil without Name or Version.
func ParsePythonMetadata(data []byte) *Package {
	var (
		name, version, license, expression string
		classifiers                        []string
		last                               string
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxManifestSize)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			break // the body, a long description, follows the headers
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last == "License" {
				license += "\n" + strings.TrimSpace(line)
			}
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last, val = key, strings.TrimSpace(val)
		switch key {
		case "Name":
			name = val
		case "Version":
			version = val
		case "License":
			license = val
		case "License-Expression":
			expression = val
		case "Classifier":
			if lic, ok := strings.CutPrefix(val, "License :: "); ok {
				lic = strings.TrimPrefix(lic, "OSI Approved :: ")
				classifiers = append(classifiers, lic)
			}
		}
	}
	if name == "" || version == "" {
		return nil
	}
	p := &Package{Name: name, Version: version, Type: "pypi"}
	switch {
	case expression != "":
		p.Licenses = []string{expression}
	case license != "" && license != "UNKNOWN" && !strings.Contains(license, "\n") && len(license) <= 100:
		p.Licenses = []string{license}
	default:
		p.Licenses = classifiers
	}
	return p
}
