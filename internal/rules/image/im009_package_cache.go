package image

import (
	"path"
	"regexp"
	"strings"

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

// packageCache is one kind of cache and the files that make it up. A path
// is matched against pattern only when it starts with one of prefixes,
// which keeps the check cheap on images with many files.
type packageCache struct {
	name     string
	prefixes []string
	pattern  *regexp.Regexp
}

var homes = []string{"/root/", "/home/"}

var packageCaches = []packageCache{
	{"APT package index lists", []string{"/var/lib/apt/lists/"}, regexp.MustCompile(`^/var/lib/apt/lists/[^/]+$`)},
	{"APT downloaded packages", []string{"/var/cache/apt/archives/"},
		regexp.MustCompile(`^/var/cache/apt/archives/[^/]+\.deb$`)},
	{"APT package cache", []string{"/var/cache/apt/"}, regexp.MustCompile(`^/var/cache/apt/[^/]+\.bin$`)},
	{"APK cache", []string{"/var/cache/apk/"}, regexp.MustCompile(`^/var/cache/apk/[^/]+$`)},
	{"YUM cache", []string{"/var/cache/yum/"}, regexp.MustCompile(`^/var/cache/yum/.+`)},
	{"DNF cache", []string{"/var/cache/dnf/", "/var/cache/libdnf5/"}, regexp.MustCompile(`^/var/cache/(dnf|libdnf5)/.+`)},
	{"Zypper cache", []string{"/var/cache/zypp/"}, regexp.MustCompile(`^/var/cache/zypp/.+`)},
	{"pip cache", homes, regexp.MustCompile(`^(/root|/home/[^/]+)/\.cache/pip/.+`)},
	{"npm cache", homes, regexp.MustCompile(`^(/root|/home/[^/]+)/\.npm/_cacache/.+`)},
	{"Yarn cache", append([]string{"/usr/local/share/"}, homes...),
		regexp.MustCompile(`^(/usr/local/share|/root|/home/[^/]+)/\.cache/yarn/.+`)},
	{"Composer cache", homes, regexp.MustCompile(`^(/root|/home/[^/]+)/(\.composer/cache|\.cache/composer)/.+`)},
}

func (c *packageCache) match(p string) bool {
	for _, pre := range c.prefixes {
		if strings.HasPrefix(p, pre) {
			return c.pattern.MatchString(p)
		}
	}
	return false
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
		for i := range packageCaches {
			c := &packageCaches[i]
			if !c.match(e.Path) {
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
