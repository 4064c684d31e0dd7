package image

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
)

// maxLinkHops is how many symbolic links one lookup follows before it
// reports a loop, as Linux does with ELOOP after 40.
const maxLinkHops = 40

var (
	errNotFound = errors.New("no such file in the image")
	errLoop     = errors.New("too many levels of symbolic links")
)

// node is one path of the merged tree. Directories that a layer implies
// without an entry of their own get an entry with mode 0755.
type node struct {
	entry *Entry
	kids  map[string]*node
}

// FileTree is the Tree built by Read and ReadDir.
type FileTree struct {
	root     *node
	removed  []*Entry
	spillDir string
	sorted   []*Entry // cache of Entries, filled on first use
	// blobs are the layer blobs that spilled entries are read from.
	blobs []io.Closer
	// pending are digest checks still running (Options.DeferDigests).
	pending []*digestCheck
}

var _ Tree = (*FileTree)(nil)

func newFileTree(spillDir string) *FileTree {
	root := &node{entry: &Entry{Path: "/", Mode: fs.ModeDir | 0o755, LayerIndex: -1, RemovedBy: -1}}
	return &FileTree{root: root, spillDir: spillDir}
}

func splitPath(p string) []string {
	p = strings.Trim(path.Clean("/"+p), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// apply merges one layer: its whiteouts and opaque markers hide what lower
// layers wrote, then its entries are added on top.
func (t *FileTree) apply(r *layerResult, problems *[]finding.Problem, name string) {
	if r.blobCloser != nil {
		t.blobs = append(t.blobs, r.blobCloser)
		r.blobCloser = nil
	}
	if r.pending != nil {
		t.pending = append(t.pending, r.pending)
		r.pending = nil
	}
	firstRemoved := len(t.removed)
	for _, dir := range r.opaques {
		if n := t.find(dir); n != nil {
			for _, kid := range n.kids {
				t.collectRemoved(kid, r.index)
			}
			n.kids = nil
		}
	}
	for _, p := range r.whiteouts {
		t.remove(p, r.index)
	}
	for _, e := range r.entries {
		if e.pendingLink {
			t.fillLink(e, r, problems, name)
		}
	}
	for _, e := range r.entries {
		t.insert(e, r)
	}
	t.dropUnchanged(firstRemoved)
}

// dropUnchanged takes out of Removed the files, from index first on, that
// this layer replaced with the same bytes, as a chmod -R or chown -R
// layer does: the earlier copy reveals nothing the visible one does not.
// The new copy keeps the layer that first wrote those bytes.
func (t *FileTree) dropUnchanged(first int) {
	kept := t.removed[:first]
	for _, e := range t.removed[first:] {
		if n := t.find(e.Path); n != nil && n.entry != e && sameContent(e, n.entry) {
			index, digest := e.ContentLayer()
			n.entry.firstWrite = &layerRef{index: index, digest: digest}
			continue
		}
		kept = append(kept, e)
	}
	clear(t.removed[len(kept):])
	t.removed = kept
}

// sameContent reports whether two regular files have the same size and
// bytes, as far as the tree can tell without reading a layer again: both
// contents must be kept in memory or both spilled.
func sameContent(a, b *Entry) bool {
	if !a.Mode.IsRegular() || !b.Mode.IsRegular() || a.Size != b.Size || a.Truncated || b.Truncated {
		return false
	}
	switch {
	case a.Content != nil && b.Content != nil:
		return bytes.Equal(a.Content, b.Content)
	case a.Spilled() && b.Spilled():
		return sameSpilled(a, b)
	}
	return false
}

func sameSpilled(a, b *Entry) bool {
	ra, err := a.OpenSpilled()
	if err != nil {
		return false
	}
	defer ra.Close()
	rb, err := b.OpenSpilled()
	if err != nil {
		return false
	}
	defer rb.Close()
	bufA, bufB := make([]byte, 32<<10), make([]byte, 32<<10)
	for {
		na, errA := io.ReadFull(ra, bufA)
		nb, errB := io.ReadFull(rb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false
		}
		endA := errA == io.EOF || errA == io.ErrUnexpectedEOF
		endB := errB == io.EOF || errB == io.ErrUnexpectedEOF
		switch {
		case endA && endB:
			return true
		case errA != nil || errB != nil:
			return false
		}
	}
}

// fillLink gives a hard link the data of its target in a lower layer.
func (t *FileTree) fillLink(e *Entry, r *layerResult, problems *[]finding.Problem, name string) {
	e.pendingLink = false
	target := t.find(e.Linkname)
	if target == nil || !target.entry.Mode.IsRegular() {
		*problems = append(*problems, finding.Problem{Path: name, Kind: "decode",
			Reason: fmt.Sprintf("%s: hard link %s points to %s, which is not a file in the image",
				r.label, e.Path, e.Linkname)})
		return
	}
	copyFileData(e, target.entry)
}

func (t *FileTree) find(p string) *node {
	n := t.root
	for _, c := range splitPath(p) {
		n = n.kids[c]
		if n == nil {
			return nil
		}
	}
	return n
}

// insert places e, creating parent directories a layer implies. A file
// replacing a directory removes the directory's content, as the Docker
// Engine does.
func (t *FileTree) insert(e *Entry, r *layerResult) {
	comps := splitPath(e.Path)
	if len(comps) == 0 {
		if e.Mode.IsDir() {
			t.root.entry = e
		}
		return
	}
	n := t.root
	for i, c := range comps[:len(comps)-1] {
		kid := n.kids[c]
		if kid == nil || !kid.entry.Mode.IsDir() {
			if kid != nil {
				t.collectRemoved(kid, r.index)
			}
			kid = &node{entry: &Entry{Path: "/" + strings.Join(comps[:i+1], "/"), Mode: fs.ModeDir | 0o755,
				LayerIndex: r.index, LayerDigest: r.digest, RemovedBy: -1}}
			n.setKid(c, kid)
		}
		n = kid
	}
	last := comps[len(comps)-1]
	old := n.kids[last]
	switch {
	case old == nil:
		n.setKid(last, &node{entry: e})
	case e.Mode.IsDir() && old.entry.Mode.IsDir():
		old.entry = e
	default:
		t.collectRemoved(old, r.index)
		n.setKid(last, &node{entry: e})
	}
}

func (n *node) setKid(name string, kid *node) {
	if n.kids == nil {
		n.kids = make(map[string]*node)
	}
	n.kids[name] = kid
}

// remove deletes p and everything under it.
func (t *FileTree) remove(p string, layer int) {
	comps := splitPath(p)
	if len(comps) == 0 {
		return
	}
	parent := t.find("/" + strings.Join(comps[:len(comps)-1], "/"))
	if parent == nil {
		return
	}
	last := comps[len(comps)-1]
	if kid := parent.kids[last]; kid != nil {
		t.collectRemoved(kid, layer)
		delete(parent.kids, last)
	}
}

// collectRemoved keeps requested files of a deleted subtree for Removed.
func (t *FileTree) collectRemoved(n *node, layer int) {
	if n.entry != nil && n.entry.want > WantNone {
		n.entry.RemovedBy = layer
		t.removed = append(t.removed, n.entry)
	}
	for _, kid := range n.kids {
		t.collectRemoved(kid, layer)
	}
}

// Lookup implements Tree.
func (t *FileTree) Lookup(p string) (*Entry, bool) {
	n, err := t.walk(p, false)
	if err != nil {
		return nil, false
	}
	return n.entry, true
}

// Resolve implements Tree.
func (t *FileTree) Resolve(p string) (*Entry, bool) {
	n, err := t.walk(p, true)
	if err != nil {
		return nil, false
	}
	return n.entry, true
}

// walk looks p up component by component, following symbolic links in
// directories and, when followLast is set, in the final component. A
// link's ".." never climbs above the root, as inside a container.
func (t *FileTree) walk(p string, followLast bool) (*node, error) {
	stack := []*node{t.root}
	comps := splitPath(p)
	hops := 0
	for len(comps) > 0 {
		c := comps[0]
		comps = comps[1:]
		cur := stack[len(stack)-1]
		switch c {
		case ".", "":
			continue
		case "..":
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		kid := cur.kids[c]
		if kid == nil {
			return nil, errNotFound
		}
		if kid.entry.Mode&fs.ModeSymlink != 0 && (len(comps) > 0 || followLast) {
			hops++
			if hops > maxLinkHops {
				return nil, errLoop
			}
			target := kid.entry.Linkname
			if strings.HasPrefix(target, "/") {
				stack = stack[:1]
			}
			comps = append(strings.Split(target, "/"), comps...)
			continue
		}
		if len(comps) > 0 && !kid.entry.Mode.IsDir() {
			return nil, errNotFound
		}
		stack = append(stack, kid)
	}
	return stack[len(stack)-1], nil
}

// Entries implements Tree. The sorted list is built once, by checkLinks
// at the end of Read and ReadDir, so later calls only read it and are
// safe from several goroutines. Each call returns its own copy.
func (t *FileTree) Entries() []*Entry {
	if t.sorted == nil {
		t.sorted = t.collectEntries()
	}
	return slices.Clone(t.sorted)
}

func (t *FileTree) collectEntries() []*Entry {
	var out []*Entry
	var visit func(n *node)
	visit = func(n *node) {
		out = append(out, n.entry)
		for _, kid := range n.kids {
			visit(kid)
		}
	}
	visit(t.root)
	slices.SortFunc(out, func(a, b *Entry) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Removed implements Tree.
func (t *FileTree) Removed() []*Entry {
	out := slices.Clone(t.removed)
	slices.SortStableFunc(out, func(a, b *Entry) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Close implements Tree. It also stops the digest checks that Verify did
// not wait for, before it closes the blobs they read.
func (t *FileTree) Close() error {
	for _, c := range t.pending {
		c.hasher.stop()
	}
	t.pending = nil
	var errs []error
	for _, c := range t.blobs {
		errs = append(errs, c.Close())
	}
	t.blobs = nil
	if t.spillDir != "" {
		errs = append(errs, os.RemoveAll(t.spillDir))
		t.spillDir = ""
	}
	return errors.Join(errs...)
}

// Hashing returns how many digest checks that Read deferred are still
// computing a digest. Each keeps a core busy, so callers that start
// parallel work on the tree can leave those cores to it.
func (t *FileTree) Hashing() int {
	n := 0
	for _, c := range t.pending {
		select {
		case <-c.hasher.done:
		default:
			n++
		}
	}
	return n
}

// Verify waits for the digest checks that Read left running with
// Options.DeferDigests and returns their problems: a fatal one for each
// layer whose content does not match its digest. Without DeferDigests, or
// once called, it returns nothing.
func (t *FileTree) Verify() []finding.Problem {
	var out []finding.Problem
	for _, c := range t.pending {
		out = append(out, c.wait()...)
	}
	t.pending = nil
	return out
}

// checkLinks reports symbolic links that climb above the root or loop.
// Both are resolved safely inside the tree, but they show where an image
// may try to mislead a tool that follows links on the host.
func (t *FileTree) checkLinks(name string) []finding.Problem {
	var out []finding.Problem
	n := 0
	for _, e := range t.Entries() {
		if e.Mode&fs.ModeSymlink == 0 {
			continue
		}
		var reason string
		if climbsAboveRoot(path.Dir(e.Path), e.Linkname) {
			reason = fmt.Sprintf("symbolic link %s -> %s points above the image root; it is resolved inside the image",
				e.Path, e.Linkname)
		} else if _, err := t.walk(e.Path, true); errors.Is(err, errLoop) {
			reason = fmt.Sprintf("symbolic link %s -> %s is part of a loop", e.Path, e.Linkname)
		}
		if reason == "" {
			continue
		}
		n++
		if n <= maxLayerProblems {
			out = append(out, finding.Problem{Path: name, Kind: "decode",
				Reason: fmt.Sprintf("layer %d: %s", e.LayerIndex, reason)})
		}
	}
	if n > maxLayerProblems {
		out = append(out, finding.Problem{Path: name, Kind: "decode",
			Reason: fmt.Sprintf("%d more symbolic links that escape or loop not listed", n-maxLayerProblems)})
	}
	return out
}

// climbsAboveRoot reports whether a relative link target in dir uses more
// ".." components than dir is deep.
func climbsAboveRoot(dir, target string) bool {
	if strings.HasPrefix(target, "/") {
		return false
	}
	depth := len(splitPath(dir))
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		case ".", "":
		default:
			depth++
		}
	}
	return false
}
