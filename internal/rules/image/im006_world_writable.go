package image

import (
	"io/fs"
	"path"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/rule"
)

var im006 = &rule.Rule{
	ID: "IM006", Slug: "image-world-writable", Severity: finding.Medium, Kind: rule.KindImage,
	Title: "World-writable file or directory outside a sticky directory",
	Description: "Any user in the container can change a world-writable file, and can replace " +
		"or delete files in a world-writable directory that lacks the sticky bit. An attacker " +
		"who gets code execution as one user can then plant code that another user, often " +
		"root, runs later. Directories with the sticky bit (/tmp, /var/tmp) and files inside " +
		"them are expected to be shared and are not reported; device files and symbolic links " +
		"are skipped.",
	Fix: "Remove the write bit for others (`chmod o-w PATH`), and give the directory to the " +
		"user that needs it instead (`chown app:app /app/data && chmod 0750 /app/data`).",
	Bad:  "FROM debian:12\nCOPY app /app\nRUN chmod -R 777 /app",
	Good: "FROM debian:12\nCOPY --chown=10001:10001 --chmod=0755 app /app",
	Limits: "Files under /proc, /sys and /dev are skipped. Only the first 25 paths get a finding " +
		"each; one more finding counts the rest.",
}

// maxPathFindings bounds the per-path findings of rules that can match
// thousands of files after a recursive chmod or chown.
const maxPathFindings = 25

func checkWorldWritable(r *result) {
	var hits []*inimage.Entry
	for _, e := range r.in.Tree.Entries() {
		if e.Mode.Perm()&0o002 == 0 || e.Mode&(fs.ModeSymlink|fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0 {
			continue
		}
		if isPseudoFS(e.Path) {
			continue
		}
		if e.Mode.IsDir() {
			if e.Mode&fs.ModeSticky == 0 {
				hits = append(hits, e)
			}
			continue
		}
		if parent, ok := r.in.Tree.Lookup(path.Dir(e.Path)); ok && parent.Mode&fs.ModeSticky != 0 {
			continue
		}
		hits = append(hits, e)
	}
	reportPaths(r, im006, hits, func(e *inimage.Entry) string {
		kind := "file"
		if e.Mode.IsDir() {
			kind = "directory without the sticky bit"
		}
		return e.Path + " is a world-writable " + kind + " (mode " + modeString(e.Mode) + ")"
	}, "world-writable paths")
}

func isPseudoFS(p string) bool {
	for _, d := range []string{"/proc", "/sys", "/dev"} {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// reportPaths adds one finding per entry up to maxPathFindings and one
// more that counts and samples the rest.
func reportPaths(r *result, ru *rule.Rule, hits []*inimage.Entry, describe func(*inimage.Entry) string, what string) {
	for i, e := range hits {
		if i == maxPathFindings {
			var rest []string
			for _, e := range hits[i:] {
				rest = append(rest, e.Path)
			}
			r.add(ru.New(r.entryLocation(e), "%d more %s: %s", len(rest), what, summarize(rest, 10)))
			return
		}
		r.add(ru.New(r.entryLocation(e), "%s", describe(e)))
	}
}
