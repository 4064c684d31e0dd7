package pkgdb

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

func matchDotnet(p string, _ fs.FileMode, _ int64) bool {
	return strings.HasSuffix(p, ".deps.json")
}

func parseDotnetEntry(_ *scan, e *image.Entry) ([]Package, error) {
	data, err := entryBytes(e)
	if err != nil {
		return nil, err
	}
	return ParseDepsJSON(data)
}

// ParseDepsJSON lists the NuGet packages of a .NET application's
// *.deps.json: the "libraries" keys "Name/Version" whose type is
// "package". Projects and framework references are left out.
func ParseDepsJSON(data []byte) ([]Package, error) {
	var deps struct {
		Libraries map[string]struct {
			Type string `json:"type"`
		} `json:"libraries"`
	}
	if err := json.Unmarshal(data, &deps); err != nil {
		return nil, fmt.Errorf("decoding deps.json: %w", err)
	}
	var pkgs []Package
	for key, lib := range deps.Libraries {
		if lib.Type != "package" {
			continue
		}
		name, version, ok := strings.Cut(key, "/")
		if !ok || name == "" || version == "" {
			return pkgs, fmt.Errorf("invalid library key %q: expected \"Name/Version\"", key)
		}
		pkgs = append(pkgs, Package{Name: name, Version: version, Type: "nuget"})
	}
	return pkgs, nil
}
