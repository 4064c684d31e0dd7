package image

import (
	"path"
	"regexp"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/rule"
)

var im009 = &rule.Rule{
	ID: "IM009", Slug: "image-package-cache", Severity: finding.Low, Kind: rule.KindImage,
	Title: "Package manager caches or index lists left in the image",
	Description: "Downloaded packages and package index lists left in a layer make the image " +
		"larger, slower to pull and scan, and record which repositories it was built from. " +
		"Deleting them in a later layer does not help, since the bytes stay in the layer " +
		"that added them. Checked: APT lists and archives, APK, YUM, DNF and Zypper caches, " +
		"and the pip, npm, Yarn and Composer caches in any home directory.",
	Fix: "Clean up in the same RUN that installs, for example `apt-get install -y --no-install-" +
		"recommends pkg && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache pkg`, " +
		"`pip install --no-cache-dir`, or use a cache mount: `RUN --mount=type=cache,target=/var/cache/apt`.",
	Bad:    "RUN apt-get update && apt-get install -y curl",
	Good:   "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
	Limits: "Only the caches listed are known; build caches of compilers (Go, Cargo, Maven) are not reported.",
}

// packageCache is one kind of cache and the files that make it up.
type packageCache struct {
	name    string
	pattern *regexp.Regexp
}

var packageCaches = []packageCache{
	{"APT package index lists", regexp.MustCompile(`^/var/lib/apt/lists/[^/]+$`)},
	{"APT downloaded packages", regexp.MustCompile(`^/var/cache/apt/archives/[^/]+\.deb$`)},
	{"APT package cache", regexp.MustCompile(`^/var/cache/apt/[^/]+\.bin$`)},
	{"APK cache", regexp.MustCompile(`^/var/cache/apk/[^/]+$`)},
	{"YUM cache", regexp.MustCompile(`^/var/cache/yum/.+`)},
	{"DNF cache", regexp.MustCompile(`^/var/cache/(dnf|libdnf5)/.+`)},
	{"Zypper cache", regexp.MustCompile(`^/var/cache/zypp/.+`)},
	{"pip cache", regexp.MustCompile(`^(/root|/home/[^/]+)/\.cache/pip/.+`)},
	{"npm cache", regexp.MustCompile(`^(/root|/home/[^/]+)/\.npm/_cacache/.+`)},
	{"Yarn cache", regexp.MustCompile(`^(/usr/local/share|/root|/home/[^/]+)/\.cache/yarn/.+`)},
	{"Composer cache", regexp.MustCompile(`^(/root|/home/[^/]+)/(\.composer/cache|\.cache/composer)/.+`)},
}

func checkPackageCaches(r *result) {
	type hit struct {
		first *inimage.Entry
		files int
		bytes int64
	}
	hits := make([]*hit, len(packageCaches))
	for _, e := range r.in.Tree.Entries() {
		if !e.Mode.IsRegular() || path.Base(e.Path) == "lock" {
			continue
		}
		for i, c := range packageCaches {
			if !c.pattern.MatchString(e.Path) {
				continue
			}
			if hits[i] == nil {
				hits[i] = &hit{first: e}
			}
			hits[i].files++
			hits[i].bytes += e.Size
			break
		}
	}
	for i, h := range hits {
		if h == nil {
			continue
		}
		r.add(im009.New(r.entryLocation(h.first), "%s left in the image: %d files, %s, under %s",
			packageCaches[i].name, h.files, humanBytes(h.bytes), path.Dir(h.first.Path)))
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	switch {
	case n < unit:
		return itoa(n) + " B"
	case n < unit*unit:
		return fixed1(float64(n)/unit) + " KiB"
	default:
		return fixed1(float64(n)/(unit*unit)) + " MiB"
	}
}
