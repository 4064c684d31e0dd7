package image

import (
	"io/fs"
	"path"
	"slices"
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
		"them are expected to be shared and are not reported; symbolic links are skipped. A " +
		"world-writable device node outside /dev lets any process read and write the device " +
		"wherever the device cgroup allows it, as in a privileged container.",
	Fix: "Remove the write bit for others (`chmod o-w PATH`), and give the directory to the " +
		"user that needs it instead (`chown app:app /app/data && chmod 0750 /app/data`).",
	Bad:  "FROM debian:12\nCOPY app /app\nRUN chmod -R 777 /app",
	Good: "FROM debian:12\nCOPY --chown=10001:10001 --chmod=0755 app /app",
	Limits: "Files under /proc, /sys and /dev are skipped. Device nodes under /dev other than " +
		"the usual world-writable ones (null, zero, full, random, urandom, tty, ptmx) are " +
		"reported at low severity, because the container engine mounts its own /dev over the " +
		"image's and hides them at run time. Only the first 25 paths get a finding each; one " +
		"more finding counts the rest.",
}

// maxPathFindings bounds the per-path findings of rules that can match
// thousands of files after a recursive chmod or chown.
const maxPathFindings = 25

func checkWorldWritable(r *result) {
	var hits []*inimage.Entry
	for _, e := range r.in.Tree.Entries() {
		if e.Mode.Perm()&0o002 == 0 {
			continue
		}
		if e.Mode&fs.ModeDevice != 0 {
			checkWritableDevice(r, e)
			continue
		}
		if e.Mode&(fs.ModeSymlink|fs.ModeNamedPipe|fs.ModeSocket) != 0 {
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

// usualDevices are the nodes under /dev that are world-writable by design.
var usualDevices = []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty", "/dev/ptmx"}

// checkWritableDevice reports a world-writable device node. One under
// /dev is hidden at run time, so its finding has low severity and its
// message names the mount that hides it.
func checkWritableDevice(r *result, e *inimage.Entry) {
	if !isUnder(e.Path, "/dev") {
		r.add(im006.New(r.entryLocation(e), "%s is a world-writable %s (mode %s), which any process "+
			"can read and write wherever the device cgroup allows it, as in a privileged container",
			e.Path, deviceKind(e.Mode), modeString(e.Mode)))
		return
	}
	if slices.Contains(usualDevices, e.Path) {
		return
	}
	f := im006.New(r.entryLocation(e), "%s is a world-writable %s (mode %s); the container engine "+
		"mounts its own /dev over the image's, so the node is hidden at run time, but it suggests "+
		"a /dev copied from a host", e.Path, deviceKind(e.Mode), modeString(e.Mode))
	f.Severity = finding.Low
	r.add(f)
}

// deviceKind names a device node's type.
func deviceKind(m fs.FileMode) string {
	if m&fs.ModeCharDevice != 0 {
		return "character device"
	}
	return "block device"
}

func isUnder(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

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
