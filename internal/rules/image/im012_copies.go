package image

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/secrets"
)

// credentialCopy is one copy of a credential file that a layer wrote,
// with the secrets the detectors find in it.
type credentialCopy struct {
	entry *inimage.Entry
	kind  string
	note  string
	// secrets are the detector matches, keyed by rule ID and a SHA-256 of
	// the matched bytes, so that no value is kept.
	secrets map[secretKey]bool
}

type secretKey struct {
	ruleID string
	sum    [sha256.Size]byte
}

// newCredentialCopy returns the copy of e that IM012 reports, or false
// when e is not a credential file.
func newCredentialCopy(e *inimage.Entry) (*credentialCopy, bool) {
	if !e.Mode.IsRegular() {
		return nil, false
	}
	kind, ok := credentialKind(e)
	if !ok {
		return nil, false
	}
	c := &credentialCopy{entry: e, kind: kind, secrets: map[secretKey]bool{}}
	if e.Content == nil {
		return c, true
	}
	ms := secrets.Default().Scan(e.Path, e.Content)
	c.note = detectorNote(ms)
	for _, m := range ms {
		if 0 <= m.Start && m.Start <= m.End && m.End <= len(e.Content) {
			c.secrets[secretKey{m.RuleID, sha256.Sum256(e.Content[m.Start:m.End])}] = true
		}
	}
	return c, true
}

// covers reports whether c, a later copy at the same path, still holds
// what IM012 reports in the earlier copy. Both must hold the same kind of
// credential, and c must hold each secret the detectors find in earlier,
// or each non-empty line of earlier when they find none. Copies whose
// content was not read never cover.
func (c *credentialCopy) covers(earlier *credentialCopy) bool {
	if c.kind != earlier.kind || c.entry.Content == nil || earlier.entry.Content == nil {
		return false
	}
	for k := range earlier.secrets {
		if !c.secrets[k] {
			return false
		}
	}
	if len(earlier.secrets) > 0 {
		return true
	}
	return containsLines(c.entry.Content, earlier.entry.Content)
}

// containsLines reports whether each non-empty line of sub is a line of
// text.
func containsLines(text, sub []byte) bool {
	lines := map[string]bool{}
	for line := range bytes.Lines(text) {
		lines[string(bytes.TrimRight(line, "\r\n"))] = true
	}
	for line := range bytes.Lines(sub) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) > 0 && !lines[string(line)] {
			return false
		}
	}
	return true
}

// reportCredentialCopies reports the copies of one path: the earlier
// copies that later layers deleted or replaced and, last, the visible
// entry if the path still exists. A copy that a later one covers is not
// reported on its own. The later copy is reported instead, at the layer
// of the earliest copy it covers. It adds the finding for the visible
// entry and returns the findings for deleted or replaced copies, which
// follow all visible files.
func reportCredentialCopies(r *result, entries []*inimage.Entry) []finding.Finding {
	slices.SortStableFunc(entries, func(a, b *inimage.Entry) int { return cmp.Compare(a.LayerIndex, b.LayerIndex) })
	var copies []*credentialCopy
	for _, e := range entries {
		if c, ok := newCredentialCopy(e); ok {
			copies = append(copies, c)
		}
	}
	if len(copies) == 0 {
		return nil
	}

	// into[i] is the latest copy that covers copy i, or i itself.
	into := make([]int, len(copies))
	for i := range copies {
		into[i] = i
		for j := len(copies) - 1; j > i; j-- {
			if copies[j].covers(copies[i]) {
				into[i] = j
				break
			}
		}
	}
	first := map[int]int{}
	for i := range copies {
		j := into[i]
		for into[j] != j {
			j = into[j]
		}
		if _, ok := first[j]; !ok {
			first[j] = i
		}
	}

	var deleted []finding.Finding
	for i, c := range copies {
		if into[i] != i {
			continue
		}
		f := credentialFinding(r, c, copies[first[i]].entry)
		if c.entry.RemovedBy < 0 {
			r.add(f)
		} else {
			deleted = append(deleted, f)
		}
	}
	return deleted
}

// credentialFinding returns the finding for copy c, located at the
// content layer of earliest, the first copy that c covers or c itself.
func credentialFinding(r *result, c *credentialCopy, earliest *inimage.Entry) finding.Finding {
	e := c.entry
	index, digest := earliest.ContentLayer()
	loc := r.entryLocation(e)
	loc.Layer = digest
	if index >= 0 {
		loc.LayerIndex = &index
	}

	var note string
	switch {
	case e.RemovedBy >= 0:
		note = fmt.Sprintf("; layer %d deleted or replaced it, but it is still readable in layer %d",
			e.RemovedBy, index)
	case index != e.LayerIndex:
		note = fmt.Sprintf("; layer %d added it, and layer %d rewrote the file and kept it", index, e.LayerIndex)
	}
	return im012.New(loc, "%s holds %s%s%s", e.Path, c.kind, c.note, note)
}
