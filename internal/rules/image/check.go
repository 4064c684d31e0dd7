// Package image holds the IM rules, which check a built image: its config
// (user, health check, environment, labels, exposed ports), its history,
// and the files of its merged file system as read by internal/input/image.
package image

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/rule"
)

// Input is the image data the IM rules check.
type Input struct {
	// Image is the image name shown in locations.
	Image string
	// Config is the image configuration; nil for a root file system
	// directory, whose config rules are then skipped.
	Config *v1.ConfigFile
	Tree   inimage.Tree
	// OS is the detected release; nil when unknown.
	OS *pkgdb.OS
	// Now is the date end-of-life dates are compared with.
	Now time.Time
}

// result collects the findings and problems of one run.
type result struct {
	in       *Input
	findings []finding.Finding
	problems []finding.Problem
	accounts *accounts
}

func (r *result) add(f finding.Finding) { r.findings = append(r.findings, f) }

func (r *result) note(format string, args ...any) {
	r.problems = append(r.problems, finding.Problem{Path: r.in.Image, Kind: "decode",
		Reason: fmt.Sprintf(format, args...)})
}

// check is one rule and the function that applies it.
type check struct {
	rule *rule.Rule
	run  func(r *result)
}

var checks = []check{
	{im001, checkRootUser},
	{im002, checkHealthcheck},
	{im003, checkConfigSecrets},
	{im004, checkHistorySecrets},
	{im005, checkSetuid},
	{im006, checkWorldWritable},
	{im007, checkUserWritable},
	{im008, checkOSEndOfLife},
	{im009, checkPackageCaches},
	{im010, checkAttackSurface},
	{im011, checkAccounts},
	{im012, checkCredentialFiles},
	{im013, checkRemoteFetch},
	{im014, checkSensitivePorts},
}

// Rules lists every IM rule.
var Rules = func() []*rule.Rule {
	out := make([]*rule.Rule, len(checks))
	for i, c := range checks {
		out[i] = c.rule
	}
	return out
}()

// Run applies every IM rule to in. Findings are not yet filtered by the
// configuration; the caller passes them through engine.Apply.
func Run(in *Input) ([]finding.Finding, []finding.Problem) {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	r := &result{in: in}
	r.accounts = readAccounts(r)
	for _, c := range checks {
		c.run(r)
	}
	finding.Sort(r.findings, r.problems)
	return r.findings, r.problems
}

// Request returns the files whose content the IM rules read: account
// databases, OS release files, credential files and candidate private
// keys, each up to 1 MiB.
func Request() inimage.Request {
	return func(p string, mode fs.FileMode, size int64) inimage.Want {
		if mode.IsDir() && path.Base(p) == ".git" {
			return inimage.WantTracked
		}
		if !mode.IsRegular() {
			return inimage.WantNone
		}
		// Account and release files are requested at any size, so that
		// one over the reader's content cap is reported as skipped
		// instead of being left out without a word.
		switch p {
		case passwdPath, groupPath, shadowPath:
			return inimage.WantContent
		}
		if slices.Contains(osReleaseFiles, p) {
			return inimage.WantContent
		}
		if size > maxCredentialSize {
			return inimage.WantNone
		}
		if isCredentialCandidate(p) {
			return inimage.WantContent
		}
		return inimage.WantNone
	}
}

// configLocation points at the image config.
func (r *result) configLocation() finding.Location {
	return finding.Location{Path: r.in.Image, Image: r.in.Image}
}

// entryLocation points at a file inside the image and the layer that
// added it.
func (r *result) entryLocation(e *inimage.Entry) finding.Location {
	loc := finding.Location{Path: r.in.Image, Image: r.in.Image, ImagePath: e.Path, Layer: e.LayerDigest}
	if e.LayerIndex >= 0 {
		idx := e.LayerIndex
		loc.LayerIndex = &idx
	}
	return loc
}

// historyLocation points at the layer a history entry created, when it
// created one.
func (r *result) historyLocation(h historyEntry) finding.Location {
	loc := r.configLocation()
	if h.layer >= 0 {
		idx := h.layer
		loc.LayerIndex = &idx
		if r.in.Config != nil && h.layer < len(r.in.Config.RootFS.DiffIDs) {
			loc.Layer = r.in.Config.RootFS.DiffIDs[h.layer].String()
		}
	}
	return loc
}

// binDirs are the directories searched for commands, as in a default PATH.
var binDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// findCommand returns the first entry that runs as name from a binDir,
// following symbolic links inside the image.
func findCommand(t inimage.Tree, name string) (*inimage.Entry, bool) {
	for _, d := range binDirs {
		p := path.Join(d, name)
		if e, ok := t.Resolve(p); ok && e.Mode.IsRegular() {
			if link, ok := t.Lookup(p); ok {
				return link, true
			}
			return e, true
		}
	}
	return nil, false
}

// summarize lists up to n items and counts the rest.
func summarize(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare)
	return keys
}

// lineLocation points at a line of a file inside the image.
func (r *result) lineLocation(p string, line int, e *inimage.Entry) finding.Location {
	loc := r.entryLocation(e)
	loc.ImagePath = p
	loc.StartLine, loc.EndLine = line, line
	return loc
}
