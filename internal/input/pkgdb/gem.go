package pkgdb

import (
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

func matchGem(p string, _ fs.FileMode, _ int64) bool {
	return strings.HasSuffix(p, ".gemspec") && path.Base(path.Dir(p)) == "specifications"
}

func parseGemEntry(_ *scan, e *image.Entry) ([]Package, error) {
	data, err := entryBytes(e)
	if err != nil {
		return nil, err
	}
	p := ParseGemspec(data)
	if p == nil {
		return nil, nil
	}
	return []Package{*p}, nil
}

var (
	gemName     = regexp.MustCompile(`(?m)^\s*\w+\.name\s*=\s*["']([^"']+)["']`)
	gemVersion  = regexp.MustCompile(`(?m)^\s*\w+\.version\s*=\s*(?:Gem::Version\.new\(\s*)?["']([^"']+)["']`)
	gemLicenses = regexp.MustCompile(`(?m)^\s*\w+\.licenses?\s*=\s*(.+)$`)
	rubyString  = regexp.MustCompile(`["']([^"']+)["']`)
)

// ParseGemspec reads the name, version and licences of an installed gem's
// specification, the Ruby file RubyGems writes under specifications/:
//
//	s.name = "rack".freeze
//	s.version = "3.0.8"
//	s.licenses = ["MIT".freeze]
//
// It matches the assignments textually and never evaluates Ruby. It
// returns nil when name or version is missing.
func ParseGemspec(data []byte) *Package {
	name := gemName.FindSubmatch(data)
	version := gemVersion.FindSubmatch(data)
	if name == nil || version == nil {
		return nil
	}
	p := &Package{Name: string(name[1]), Version: string(version[1]), Type: "gem"}
	if m := gemLicenses.FindSubmatch(data); m != nil {
		for _, s := range rubyString.FindAllSubmatch(m[1], -1) {
			p.Licenses = append(p.Licenses, string(s[1]))
		}
	}
	return p
}
