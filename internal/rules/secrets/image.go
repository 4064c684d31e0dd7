package secrets

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/secrets"
)

// MaxImageFileSize is the largest image file whose content is searched.
const MaxImageFileSize = 2 << 20

// skippedImageDirs hold files of distribution packages, which carry no
// secrets of the image's own and are large: documentation, locales,
// shared libraries, kernel modules and package databases.
var skippedImageDirs = []string{
	"/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/",
	"/usr/share/i18n/", "/usr/share/zoneinfo/", "/usr/share/icons/", "/usr/share/fonts/",
	"/usr/share/mime/", "/usr/share/perl/", "/usr/share/perl5/", "/usr/share/terminfo/",
	"/usr/share/X11/", "/usr/lib/x86_64-linux-gnu/", "/usr/lib/aarch64-linux-gnu/",
	"/lib/x86_64-linux-gnu/", "/lib/aarch64-linux-gnu/", "/usr/lib/gcc/", "/lib/modules/",
	"/usr/lib/modules/", "/usr/lib/locale/", "/var/lib/dpkg/", "/var/lib/apt/",
	"/var/lib/rpm/", "/var/cache/", "/usr/include/", "/proc/", "/sys/", "/dev/",
	"/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/libexec/",
}

// thirdPartyDirs are directory names that hold installed third-party
// packages: their test fixtures carry sample keys, and their secrets, if
// any, are not the image's own. The tree walk of check skips the same
// kinds of directories.
var thirdPartyDirs = []string{"/node_modules/", "/site-packages/", "/dist-packages/", "/vendor/",
	"/gems/", "/.cargo/registry/", "/go/pkg/mod/", "/usr/local/go/", "/usr/lib/jvm/", "/usr/share/",
	"/.npm/_cacache/", "/.cache/pip/"}

// skippedImageExts are formats no detector reads: compressed archives,
// images, fonts, compiled objects and message catalogs.
var skippedImageExts = map[string]bool{
	".gz": true, ".xz": true, ".bz2": true, ".zst": true, ".zip": true, ".jar": true, ".war": true,
	".whl": true, ".tgz": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true,
	".webp": true, ".svg": false, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true,
	".a": true, ".o": true, ".pyc": true, ".pyo": true, ".mo": true, ".class": true, ".so": true,
	".mp3": true, ".mp4": true, ".pdf": true, ".wasm": true,
}

// Request requests from the image reader the content of files that may
// hold secrets: regular files up to MaxImageFileSize outside the
// directories and formats of distribution and language packages.
func Request(p string, mode fs.FileMode, size int64) inimage.Want {
	if !mode.IsRegular() || size == 0 || size > MaxImageFileSize {
		return inimage.WantNone
	}
	for _, d := range skippedImageDirs {
		if strings.HasPrefix(p, d) {
			return inimage.WantNone
		}
	}
	for _, d := range thirdPartyDirs {
		if strings.Contains(p, d) {
			return inimage.WantNone
		}
	}
	ext := strings.ToLower(path.Ext(p))
	if skippedImageExts[ext] || strings.Contains(path.Base(p), ".so.") {
		return inimage.WantNone
	}
	return inimage.WantContent
}

// TreeOptions configure ScanTree.
type TreeOptions struct {
	// Image is the image name shown in locations.
	Image string
	// Scanner is the detector set with its allow-list; nil means
	// secrets.Default.
	Scanner *secrets.Scanner
	// Skip reports files that another rule already reports with the
	// detector's name, such as credential files found by IM012, so that
	// one secret yields one finding.
	Skip func(e *inimage.Entry) bool
}

// ScanTree searches the content of every file that Request asked for,
// including files that a later layer deleted or replaced: their content
// is still in the layer that added them, and the finding names it.
func ScanTree(ctx context.Context, tree inimage.Tree, opts TreeOptions) []finding.Finding {
	sc := opts.Scanner
	if sc == nil {
		sc = secrets.Default()
	}
	var fs []finding.Finding
	scan := func(e *inimage.Entry, removed bool) {
		if e.Content == nil || sc.SkipsPath(e.Path) || opts.Skip != nil && opts.Skip(e) {
			return
		}
		index := e.LayerIndex
		base := finding.Location{Path: e.Path, Image: opts.Image, Layer: e.LayerDigest,
			LayerIndex: &index, ImagePath: e.Path}
		found := scanFile(sc, e.Path, strings.TrimPrefix(e.Path, "/"), e.Content, isBinary(e.Content), false)
		for _, f := range found {
			loc := base
			loc.StartLine, loc.StartColumn = f.Location.StartLine, f.Location.StartColumn
			loc.EndLine, loc.EndColumn = f.Location.EndLine, f.Location.EndColumn
			f.Location = loc
			if removed {
				f.Message += fmt.Sprintf("; the file was deleted or replaced in layer %d, but layer %d (%s) still holds it",
					e.RemovedBy, e.LayerIndex, shortDigest(e.LayerDigest))
			} else {
				f.Message += fmt.Sprintf(" (added in layer %d)", e.LayerIndex)
			}
			fs = append(fs, f)
		}
	}
	for _, e := range tree.Entries() {
		if ctx.Err() != nil {
			return fs
		}
		scan(e, false)
	}
	for _, e := range tree.Removed() {
		if ctx.Err() != nil {
			return fs
		}
		scan(e, true)
	}
	return fs
}

func shortDigest(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

func isBinary(data []byte) bool {
	head := data[:min(len(data), 8192)]
	for _, b := range head {
		if b == 0 {
			return true
		}
	}
	return false
}
