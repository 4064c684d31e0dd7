package pkgdb

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

func matchComposer(p string, _ fs.FileMode, _ int64) bool {
	return strings.HasSuffix(p, "/vendor/composer/installed.json")
}

func parseComposerEntry(_ *scan, e *image.Entry) ([]Package, error) {
	data, err := entryBytes(e)
	if err != nil {
		return nil, err
	}
	return ParseComposerInstalled(data)
}

type composerPackage struct {
	Name    string          `json:"name"`
	Version string          `json:"version"`
	License json.RawMessage `json:"license"`
}

// ParseComposerInstalled reads vendor/composer/installed.json: an array of
// packages (Composer 1) or an object whose "packages" holds them
// (Composer 2). A leading "v" of a version ("v5.4.0") is dropped, as
// Packagist advisories write versions without it.
func ParseComposerInstalled(data []byte) ([]Package, error) {
	var list []composerPackage
	if err := json.Unmarshal(data, &list); err != nil {
		var v2 struct {
			Packages []composerPackage `json:"packages"`
		}
		if err2 := json.Unmarshal(data, &v2); err2 != nil {
			return nil, fmt.Errorf("decoding installed.json: %w", err2)
		}
		list = v2.Packages
	}
	var pkgs []Package
	for _, c := range list {
		if c.Name == "" || c.Version == "" {
			continue
		}
		version := c.Version
		if len(version) > 1 && version[0] == 'v' && isDigit(version[1]) {
			version = version[1:]
		}
		pkgs = append(pkgs, Package{Name: c.Name, Version: version, Type: "composer",
			Licenses: npmLicenses(c.License)})
	}
	return pkgs, nil
}
