package pkgdb

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

const apkInstalled = "/lib/apk/db/installed"

func matchAPK(p string, _ fs.FileMode, _ int64) bool {
	return p == apkInstalled || p == "/usr/lib/apk/db/installed"
}

func parseAPKEntry(_ *scan, e *image.Entry) ([]Package, error) {
	data, err := entryBytes(e)
	if err != nil {
		return nil, err
	}
	return ParseAPKInstalled(data)
}

// ParseAPKInstalled lists the packages of an apk database
// (lib/apk/db/installed): stanzas of single-letter fields separated by
// blank lines. P is the name, V the version, A the architecture, L the
// licence and o the origin, which is the source package.
func ParseAPKInstalled(data []byte) ([]Package, error) {
	var (
		pkgs   []Package
		cur    Package
		start  int
		lineNo int
	)
	flush := func() error {
		defer func() { cur = Package{} }()
		if cur.Name == "" && cur.Version == "" {
			return nil
		}
		if cur.Name == "" || cur.Version == "" {
			return &LineError{Line: start, Err: fmt.Errorf("package stanza without P: or V: field")}
		}
		cur.Type = "apk"
		if cur.SourceName != "" {
			cur.SourceVersion = cur.Version
		}
		pkgs = append(pkgs, cur)
		return nil
	}

	var firstErr error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxManifestSize)
	for sc.Scan() {
		lineNo++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			if err := flush(); err != nil && firstErr == nil {
				firstErr = err
			}
			continue
		}
		if len(line) < 2 || line[1] != ':' {
			if firstErr == nil {
				firstErr = &LineError{Line: lineNo,
					Err: fmt.Errorf("invalid line %q: expected a letter, a colon and a value", truncate(line, 60))}
			}
			continue
		}
		if cur.Name == "" && cur.Version == "" {
			start = lineNo
		}
		val := line[2:]
		switch line[0] {
		case 'P':
			cur.Name = val
		case 'V':
			cur.Version = val
		case 'A':
			cur.Arch = val
		case 'L':
			cur.Licenses = splitLicenseExpression(val)
		case 'o':
			cur.SourceName = val
		}
	}
	if err := sc.Err(); err != nil && firstErr == nil {
		firstErr = &LineError{Line: lineNo + 1, Err: err}
	}
	if err := flush(); err != nil && firstErr == nil {
		firstErr = err
	}
	return pkgs, firstErr
}

// splitLicenseExpression keeps a licence field as one entry unless it is a
// plain space-separated list of identifiers, as older apk databases write
// ("MIT BSD").
func splitLicenseExpression(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if strings.ContainsAny(v, "()") || strings.Contains(v, " AND ") || strings.Contains(v, " OR ") ||
		strings.Contains(v, " WITH ") {
		return []string{v}
	}
	return strings.Fields(v)
}
