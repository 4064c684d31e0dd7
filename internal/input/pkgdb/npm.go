package pkgdb

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

// matchNPM accepts the manifest of an installed package:
// node_modules/name/package.json or node_modules/@scope/name/package.json.
func matchNPM(p string, _ fs.FileMode, _ int64) bool {
	if !strings.HasSuffix(p, "/package.json") {
		return false
	}
	i := strings.LastIndex(p, "/node_modules/")
	if i < 0 {
		return false
	}
	rest, ok := strings.CutSuffix(p[i+len("/node_modules/"):], "/package.json")
	if !ok || rest == "" {
		return false
	}
	switch strings.Count(rest, "/") {
	case 0:
		return !strings.HasPrefix(rest, "@") && !strings.HasPrefix(rest, ".")
	case 1:
		return strings.HasPrefix(rest, "@")
	}
	return false
}

func parseNPMEntry(_ *scan, e *image.Entry) ([]Package, error) {
	data, err := entryBytes(e)
	if err != nil {
		return nil, err
	}
	p, err := ParseNPMPackage(data)
	if err != nil || p == nil {
		return nil, err
	}
	return []Package{*p}, nil
}

type npmManifest struct {
	Name     string          `json:"name"`
	Version  string          `json:"version"`
	License  json.RawMessage `json:"license"`
	Licenses json.RawMessage `json:"licenses"`
}

// ParseNPMPackage reads an installed package's package.json. It returns
// nil without error for manifests without a name or version, such as
// workspace roots.
func ParseNPMPackage(data []byte) (*Package, error) {
	var m npmManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decoding package.json: %w", err)
	}
	if m.Name == "" || m.Version == "" {
		return nil, nil
	}
	p := &Package{Name: m.Name, Version: m.Version, Type: "npm"}
	p.Licenses = npmLicenses(m.License)
	if len(p.Licenses) == 0 {
		p.Licenses = npmLicenses(m.Licenses)
	}
	return p, nil
}

// npmLicenses reads the licence forms npm has accepted over time: a
// string, an object with a type, or an array of either.
func npmLicenses(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s != "" {
			return []string{s}
		}
		return nil
	}
	var obj struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Type != "" {
		return []string{obj.Type}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var out []string
	for _, item := range list {
		out = append(out, npmLicenses(item)...)
	}
	return out
}
