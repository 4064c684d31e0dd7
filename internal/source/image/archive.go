package image

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
)

// blobStore reads named files of an image archive or layout directory.
type blobStore interface {
	open(name string) (io.ReadCloser, error)
	has(name string) bool
	where() string
}

// readSmall reads a metadata file of at most maxMetadataSize bytes.
func readSmall(s blobStore, name string) ([]byte, error) {
	rc, err := s.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxMetadataSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s in %s: %w", name, s.where(), err)
	}
	if len(b) > maxMetadataSize {
		return nil, fmt.Errorf("reading %s in %s: larger than %d bytes", name, s.where(), maxMetadataSize)
	}
	return b, nil
}

// tarStore indexes a tar file once and then reads members in place.
type tarStore struct {
	f       *os.File
	path    string
	members map[string]tarMember
}

type tarMember struct{ offset, size int64 }

// offsetReader tracks the position in the file so the index can record
// where each member's data starts. Seek lets archive/tar skip data.
type offsetReader struct {
	f   *os.File
	pos int64
}

func (o *offsetReader) Read(p []byte) (int, error) {
	n, err := o.f.Read(p)
	o.pos += int64(n)
	return n, err
}

func (o *offsetReader) Seek(offset int64, whence int) (int64, error) {
	pos, err := o.f.Seek(offset, whence)
	if err == nil {
		o.pos = pos
	}
	return pos, err
}

func newTarStore(p string) (*tarStore, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("opening image archive: %w", err)
	}

	s := &tarStore{f: f, path: p, members: make(map[string]tarMember)}
	links := make(map[string]string)
	or := &offsetReader{f: f}
	tr := tar.NewReader(or)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			f.Close()
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("reading image archive %q: the file is truncated", p)
			}
			return nil, fmt.Errorf("reading image archive %q: %w", p, err)
		}
		name := path.Clean(strings.TrimPrefix(hdr.Name, "./"))
		switch hdr.Typeflag {
		case tar.TypeReg:
			s.members[name] = tarMember{offset: or.pos, size: hdr.Size}
		case tar.TypeSymlink:
			// docker save writes a layer that repeats an earlier one as a
			// link to the first copy: 2/layer.tar -> ../1/layer.tar.
			if !path.IsAbs(hdr.Linkname) {
				links[name] = path.Join(path.Dir(name), hdr.Linkname)
			}
		case tar.TypeLink:
			links[name] = path.Clean(strings.TrimPrefix(hdr.Linkname, "./"))
		}
	}
	s.resolveLinks(links)

	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("reading image archive %q: %w", p, err)
	}
	if or.pos > info.Size() {
		f.Close()
		return nil, fmt.Errorf("reading image archive %q: the file is truncated", p)
	}
	for name, m := range s.members {
		if m.offset+(m.size+511)/512*512 > info.Size() {
			f.Close()
			return nil, fmt.Errorf("reading image archive %q: the file is truncated inside %s", p, name)
		}
	}
	if len(s.members) == 0 {
		f.Close()
		return nil, fmt.Errorf("reading image archive %q: not a tar archive or empty", p)
	}
	return s, nil
}

// maxLinkHops bounds how many links resolveLinks follows for one name, so
// a loop of links ends.
const maxLinkHops = 8

// resolveLinks makes each link of the archive a member with its target's
// data. Only regular members inside the archive are targets: a link that
// leaves the archive root, dangles or loops stays missing, and opening it
// reports the missing blob.
func (s *tarStore) resolveLinks(links map[string]string) {
	for name, target := range links {
		for range maxLinkHops {
			if target == ".." || strings.HasPrefix(target, "../") {
				break
			}
			if m, ok := s.members[target]; ok {
				s.members[name] = m
				break
			}
			next, ok := links[target]
			if !ok {
				break
			}
			target = next
		}
	}
}

func (s *tarStore) open(name string) (io.ReadCloser, error) {
	m, ok := s.members[name]
	if !ok {
		return nil, fmt.Errorf("%s not found in %s", name, s.path)
	}
	return memberReader{io.NewSectionReader(s.f, m.offset, m.size), s.f, m.offset}, nil
}

// memberReader is one archive member. It keeps ReadAt and Size visible,
// so the layer reader can hash and parse an uncompressed layer in
// parallel, and its Close leaves the shared archive file open.
type memberReader struct {
	*io.SectionReader
	f      *os.File
	offset int64
}

func (memberReader) Close() error { return nil }

// FileRange implements inimage.FileRange.
func (m memberReader) FileRange() (*os.File, int64) { return m.f, m.offset }

func (s *tarStore) has(name string) bool { _, ok := s.members[name]; return ok }
func (s *tarStore) where() string        { return s.path }

// dirStore reads files of an OCI layout directory through os.Root, so a
// symbolic link in the layout never leads outside it.
type dirStore struct {
	root *os.Root
	path string
}

func (s *dirStore) open(name string) (io.ReadCloser, error) {
	f, err := s.root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s not found in %s", name, s.path)
	}
	return f, err
}

func (s *dirStore) has(name string) bool { _, err := s.root.Stat(name); return err == nil }
func (s *dirStore) where() string        { return s.path }

// openArchive opens a docker save tar or an OCI layout tar, written PATH
// or PATH:TAG; kind "" means decide by content, preferring the docker
// save manifest.
func openArchive(p, kind string, opts Options) (*Image, error) {
	p, tag := splitPathTag(p)
	s, err := newTarStore(p)
	if err != nil {
		return nil, err
	}
	if kind == "" {
		kind = KindOCIArchive
		if s.has("manifest.json") {
			kind = KindDockerArchive
		} else if !s.has("oci-layout") {
			s.f.Close()
			return nil, fmt.Errorf("opening %q: a tar archive without manifest.json or oci-layout is not an image; "+
				"to scan a root file system, extract it and use dir:PATH", p)
		}
	}
	var im *Image
	if kind == KindDockerArchive {
		im, err = openDockerManifest(s, tag)
	} else {
		im, err = openLayout(s, tag, opts)
	}
	if err != nil {
		s.f.Close()
		return nil, err
	}
	im.Kind = kind
	if im.Name == "" {
		im.Name = p
	}
	im.closers = append(im.closers, s.f.Close)
	return im, nil
}

// splitPathTag splits PATH:TAG at the first colon after which PATH names
// an existing file; a tag may itself contain colons (repo:tag).
func splitPathTag(ref string) (p, tag string) {
	if _, err := os.Stat(ref); err == nil {
		return ref, ""
	}
	for i := 0; i < len(ref); i++ {
		if ref[i] != ':' || i == 0 {
			continue
		}
		if info, err := os.Stat(ref[:i]); err == nil && !info.IsDir() {
			return ref[:i], ref[i+1:]
		}
	}
	return ref, ""
}

// dockerManifestEntry is one image in a docker save manifest.json.
type dockerManifestEntry struct {
	Config   string   `json:"Config"`
	RepoTags []string `json:"RepoTags"`
	Layers   []string `json:"Layers"`
}

// openDockerManifest opens the image of a docker save manifest.json whose
// RepoTags contain tag, or the first image when tag is empty.
func openDockerManifest(s blobStore, tag string) (*Image, error) {
	b, err := readSmall(s, "manifest.json")
	if err != nil {
		return nil, err
	}
	var entries []dockerManifestEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		return nil, fmt.Errorf("decoding manifest.json in %s: %w", s.where(), err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("manifest.json in %s lists no image", s.where())
	}

	m := entries[0]
	im := &Image{}
	if tag != "" {
		found := false
		for _, e := range entries {
			if slices.Contains(e.RepoTags, tag) {
				m, found = e, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: no image tagged %q in %s", ErrNotFound, tag, s.where())
		}
		im.Name = tag
	} else if len(entries) > 1 {
		im.Problems = append(im.Problems, finding.Problem{Path: s.where(), Kind: "skipped",
			Reason: fmt.Sprintf("the archive contains %d images; only the first (%s) is scanned, "+
				"name another as PATH:TAG", len(entries), strings.Join(m.RepoTags, ", "))})
	}
	if im.Name == "" && len(m.RepoTags) > 0 {
		im.Name = m.RepoTags[0]
	}

	cfg, err := readConfig(s, path.Clean(m.Config), digestFromPath(m.Config), im)
	if err != nil {
		return nil, err
	}
	im.Config = cfg
	if len(cfg.RootFS.DiffIDs) != len(m.Layers) {
		return nil, fmt.Errorf("manifest.json in %s lists %d layers but the config lists %d diff IDs",
			s.where(), len(m.Layers), len(cfg.RootFS.DiffIDs))
	}
	for i, name := range m.Layers {
		name = path.Clean(name)
		im.Layers = append(im.Layers, inimage.Layer{
			Digest: digestFromPath(name),
			DiffID: cfg.RootFS.DiffIDs[i].String(),
			Open:   blobOpener(s, name, "manifest.json"),
		})
	}
	return im, nil
}

// digestFromPath returns sha256:HEX for a blob path blobs/sha256/HEX.
func digestFromPath(p string) string {
	dir, hexPart := path.Split(path.Clean(p))
	if path.Base(dir) != "sha256" || len(hexPart) != 64 {
		return ""
	}
	return "sha256:" + hexPart
}

func blobOpener(s blobStore, name, namedBy string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		if !s.has(name) {
			return nil, fmt.Errorf("blob %s named by %s is missing from %s", name, namedBy, s.where())
		}
		return s.open(name)
	}
}

// readConfig reads and decodes the config blob and checks its digest.
func readConfig(s blobStore, name, digest string, im *Image) (*v1.ConfigFile, error) {
	if !s.has(name) {
		return nil, fmt.Errorf("config blob %s is missing from %s", name, s.where())
	}
	b, err := readSmall(s, name)
	if err != nil {
		return nil, err
	}
	got := sha256Digest(b)
	im.ConfigDigest = got
	if digest != "" {
		if got != digest {
			return nil, fmt.Errorf("config digest mismatch in %s: the manifest names %s, the content is %s; "+
				"the archive was modified or damaged, so dockward does not read it", s.where(), digest, got)
		}
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decoding image config %s in %s: %w", name, s.where(), err)
	}
	return cfg, nil
}
