package image

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	inimage "github.com/dockward/dockward/internal/input/image"
)

// Annotations that name an image in an OCI layout's index.
const (
	annotationRefName        = "org.opencontainers.image.ref.name"
	annotationContainerdName = "io.containerd.image.name"
	annotationReferenceType  = "vnd.docker.reference.type"
)

// maxIndexDepth bounds nested indexes, which a hostile layout could chain.
const maxIndexDepth = 4

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// openLayoutDir opens an OCI layout directory, written DIR or DIR:TAG.
func openLayoutDir(ref string, opts Options) (*Image, error) {
	dir, tag := ref, ""
	if _, err := os.Stat(ref); err != nil {
		if i := strings.LastIndex(ref, ":"); i > 0 {
			dir, tag = ref[:i], ref[i+1:]
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("opening OCI layout: %w", err)
	}
	s := &dirStore{root: root, path: dir}
	im, err := openLayout(s, tag, opts)
	if err != nil {
		root.Close()
		return nil, err
	}
	im.Kind = KindOCIDir
	if im.Name == "" {
		im.Name = filepath.Clean(dir)
	}
	im.closers = append(im.closers, root.Close)
	return im, nil
}

// openLayout finds the manifest for the platform, optionally by tag, in
// an OCI layout and opens its config.
func openLayout(s blobStore, tag string, opts Options) (*Image, error) {
	if !s.has("oci-layout") {
		return nil, fmt.Errorf("%s is not an OCI image layout: the oci-layout file is missing", s.where())
	}
	b, err := readSmall(s, "index.json")
	if err != nil {
		return nil, err
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decoding index.json in %s: %w", s.where(), err)
	}

	descs := idx.Manifests
	if tag != "" {
		descs = nil
		for _, d := range idx.Manifests {
			if d.Annotations[annotationRefName] == tag || d.Annotations[annotationContainerdName] == tag {
				descs = append(descs, d)
			}
		}
		if len(descs) == 0 {
			return nil, fmt.Errorf("%w: no image tagged %q in %s", ErrNotFound, tag, s.where())
		}
	}

	im := &Image{}
	manifests, err := flattenIndex(s, descs, 0, im)
	if err != nil {
		return nil, err
	}
	want, _ := opts.platform()
	desc, err := pickManifest(manifests, want, opts.Platform != "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.where(), err)
	}

	if n := desc.Annotations[annotationContainerdName]; n != "" {
		im.Name = n
	} else if n := desc.Annotations[annotationRefName]; n != "" && tag == "" {
		im.Name = s.where() + ":" + n
	}
	if desc.Platform != nil {
		im.Platform = desc.Platform.String()
	}
	if err := loadManifest(s, desc, im); err != nil {
		return nil, err
	}
	return im, nil
}

func blobPath(d v1.Hash) string { return "blobs/" + d.Algorithm + "/" + d.Hex }

// readBlob reads a metadata blob and records a digest mismatch.
func readBlob(s blobStore, d v1.Descriptor, im *Image) ([]byte, error) {
	name := blobPath(d.Digest)
	if !s.has(name) {
		return nil, fmt.Errorf("blob %s is missing from %s", d.Digest, s.where())
	}
	b, err := readSmall(s, name)
	if err != nil {
		return nil, err
	}
	if d.Digest.Algorithm == "sha256" {
		if got := sha256Digest(b); got != d.Digest.String() {
			return nil, fmt.Errorf("digest mismatch for %s in %s: the content is %s; the layout was "+
				"modified or damaged, so dockward does not read it", d.Digest, s.where(), got)
		}
	}
	return b, nil
}

// flattenIndex expands nested indexes into the image manifests they name.
func flattenIndex(s blobStore, descs []v1.Descriptor, depth int, im *Image) ([]v1.Descriptor, error) {
	if depth > maxIndexDepth {
		return nil, fmt.Errorf("%s: indexes nested more than %d deep", s.where(), maxIndexDepth)
	}
	var out []v1.Descriptor
	for _, d := range descs {
		switch {
		case d.MediaType.IsImage():
			out = append(out, d)
		case d.MediaType.IsIndex():
			b, err := readBlob(s, d, im)
			if err != nil {
				return nil, err
			}
			idx, err := v1.ParseIndexManifest(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("decoding index %s in %s: %w", d.Digest, s.where(), err)
			}
			sub, err := flattenIndex(s, idx.Manifests, depth+1, im)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
	}
	return out, nil
}

// pickManifest chooses the manifest for the platform. Attestation
// manifests are never chosen. Without an explicit platform, a single
// image manifest is taken whatever its platform.
func pickManifest(descs []v1.Descriptor, want *v1.Platform, explicit bool) (v1.Descriptor, error) {
	var images []v1.Descriptor
	for _, d := range descs {
		if d.Annotations[annotationReferenceType] == "attestation-manifest" ||
			(d.Platform != nil && d.Platform.OS == "unknown") {
			continue
		}
		images = append(images, d)
	}
	if len(images) == 0 {
		return v1.Descriptor{}, fmt.Errorf("%w: the index names no image manifest", ErrNotFound)
	}
	var available []string
	for _, d := range images {
		if d.Platform == nil {
			available = append(available, "unknown")
			continue
		}
		if d.Platform.Satisfies(*want) {
			return d, nil
		}
		available = append(available, d.Platform.String())
	}
	if len(images) == 1 && (!explicit || images[0].Platform == nil) {
		return images[0], nil
	}
	return v1.Descriptor{}, fmt.Errorf("%w: no image for platform %s; available: %s; choose one with --platform",
		ErrNotFound, want, strings.Join(available, ", "))
}

// loadManifest reads an image manifest and its config into im.
func loadManifest(s blobStore, desc v1.Descriptor, im *Image) error {
	b, err := readBlob(s, desc, im)
	if err != nil {
		return err
	}
	m, err := v1.ParseManifest(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("decoding manifest %s in %s: %w", desc.Digest, s.where(), err)
	}

	im.Digest = desc.Digest.String()
	im.ConfigDigest = m.Config.Digest.String()
	cb, err := readBlob(s, m.Config, im)
	if err != nil {
		return fmt.Errorf("reading config: %w", err)
	}
	var cfg v1.ConfigFile
	if err := json.Unmarshal(cb, &cfg); err != nil {
		return fmt.Errorf("decoding config %s in %s: %w", m.Config.Digest, s.where(), err)
	}
	im.Config = &cfg
	if im.Platform == "" && cfg.OS != "" {
		im.Platform = (&v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}).String()
	}

	var layers []v1.Descriptor
	for _, l := range m.Layers {
		if isLayer(l.MediaType) {
			layers = append(layers, l)
		}
	}
	if len(layers) != len(cfg.RootFS.DiffIDs) {
		return fmt.Errorf("manifest %s in %s lists %d layers but the config lists %d diff IDs",
			desc.Digest, s.where(), len(layers), len(cfg.RootFS.DiffIDs))
	}
	for i, l := range layers {
		im.Layers = append(im.Layers, inimage.Layer{
			Digest:    l.Digest.String(),
			DiffID:    cfg.RootFS.DiffIDs[i].String(),
			MediaType: string(l.MediaType),
			Open:      blobOpener(s, blobPath(l.Digest), "manifest "+desc.Digest.String()),
		})
	}
	return nil
}

// isLayer reports whether a manifest entry is a file system layer, as
// opposed to an artifact that some tools attach to images.
func isLayer(mt types.MediaType) bool {
	return mt == "" || mt.IsLayer() || strings.Contains(string(mt), ".layer.") ||
		strings.Contains(string(mt), ".rootfs.")
}
