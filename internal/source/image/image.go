// Package image opens container images wherever they live: docker save
// archives, OCI image layouts (directories or tars), root file system
// directories, the local Docker Engine and registries. It finds the
// manifest and config and hands the layers, unread, to the layer engine
// in internal/input/image.
package image

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
)

// Source kinds, which are also the prefixes a reference may carry.
const (
	KindDockerArchive = "docker-archive"
	KindOCIDir        = "oci-dir"
	KindOCIArchive    = "oci-archive"
	KindDocker        = "docker"
	KindRegistry      = "registry"
	KindDir           = "dir"
)

// Kinds lists every source kind in the order help text shows them.
var Kinds = []string{KindDockerArchive, KindOCIDir, KindOCIArchive, KindDocker, KindRegistry, KindDir}

// ErrNotFound is returned when a reference names no image.
var ErrNotFound = errors.New("image not found")

// maxMetadataSize caps manifests, indexes and configs read into memory.
const maxMetadataSize = 8 << 20

// Options configure Open.
type Options struct {
	// Platform picks one image from a multi-platform index, as
	// os/arch[/variant]; empty means the platform dockward runs on.
	Platform string
	// InsecureRegistry allows plain HTTP for registry references, for
	// test registries on the loopback interface.
	InsecureRegistry bool
	// TempDir is the parent of the directory the Docker Engine source
	// spools the image to; empty means os.TempDir.
	TempDir string
	Logger  *slog.Logger

	// transport replaces the HTTP transport for registry requests in tests.
	transport http.RoundTripper
}

func (o Options) platform() (*v1.Platform, error) {
	if o.Platform == "" {
		return &v1.Platform{OS: "linux", Architecture: runtime.GOARCH}, nil
	}
	p, err := v1.ParsePlatform(o.Platform)
	if err != nil || p.OS == "" || p.Architecture == "" {
		return nil, fmt.Errorf("invalid platform %q: write it as os/arch or os/arch/variant, such as linux/arm64",
			o.Platform)
	}
	return p, nil
}

// Image is an opened image: its config and its layers, not yet read.
type Image struct {
	// Ref is the reference as the user wrote it.
	Ref string
	// Kind is the source kind, such as docker-archive.
	Kind string
	// Name is the image name shown in reports: a tag or the path.
	Name string
	// Digest is the manifest digest, when the source has one: registries,
	// OCI layouts and images in a Docker Engine that uses the containerd
	// image store.
	Digest string
	// ConfigDigest is the sha256 digest of the image config, which is the
	// image ID in Docker's classic image store. It is empty for root file
	// systems.
	ConfigDigest string
	// Platform is the platform of the chosen manifest, when known.
	Platform string
	// Config is the image configuration; nil for root file systems.
	Config *v1.ConfigFile
	// Layers are the layers from the lowest up.
	Layers []inimage.Layer
	// Dir is the root file system directory of a dir source.
	Dir string
	// Problems are faults found while opening, such as a config whose
	// digest does not match.
	Problems []finding.Problem

	closers []func() error
}

// Tree reads the image's layers, or its directory, into a merged tree.
func (im *Image) Tree(ctx context.Context, opts inimage.Options) (*inimage.FileTree, []finding.Problem, error) {
	if opts.Name == "" {
		opts.Name = im.Name
	}
	if im.Kind == KindDir {
		return inimage.ReadDir(ctx, im.Dir, opts)
	}
	return inimage.Read(ctx, im.Layers, opts)
}

// Close releases open files and removes spooled data.
func (im *Image) Close() error {
	var errs []error
	for i := len(im.closers) - 1; i >= 0; i-- {
		errs = append(errs, im.closers[i]())
	}
	im.closers = nil
	return errors.Join(errs...)
}

// SplitKind separates a known source prefix from a reference. It returns
// an empty kind when the reference has none.
func SplitKind(ref string) (kind, rest string) {
	for _, k := range Kinds {
		if r, ok := strings.CutPrefix(ref, k+":"); ok {
			return k, r
		}
	}
	return "", ref
}

// Open opens the image that ref names. A prefix such as "oci-dir:" picks
// the source. Without one, an existing path wins: a directory with an
// oci-layout file is an OCI layout, another directory a root file
// system, and a file an archive of either format. Any other reference is
// looked up in the local Docker Engine and then in its registry.
func Open(ctx context.Context, ref string, opts Options) (*Image, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if _, err := opts.platform(); err != nil {
		return nil, err
	}
	kind, rest := SplitKind(ref)
	var im *Image
	var err error
	switch kind {
	case KindDockerArchive:
		im, err = openArchive(rest, KindDockerArchive, opts)
	case KindOCIArchive:
		im, err = openArchive(rest, KindOCIArchive, opts)
	case KindOCIDir:
		im, err = openLayoutDir(rest, opts)
	case KindDir:
		im, err = openDir(rest)
	case KindDocker:
		im, err = openDaemon(ctx, rest, opts)
	case KindRegistry:
		im, err = openRegistry(ctx, rest, opts)
		var lookupErr *registryLookupError
		if errors.As(err, &lookupErr) {
			err = fmt.Errorf("image %q: %w", rest, err)
		}
	default:
		im, err = detect(ctx, ref, opts)
	}
	if err != nil {
		return nil, err
	}
	im.Ref = ref
	if err := checkPlatform(im, opts); err != nil {
		im.Close()
		return nil, err
	}
	return im, nil
}

// checkPlatform rejects an image whose config names another platform than
// the one --platform requests. A single-platform archive or manifest has no
// index to choose from, so without this check the flag would be ignored.
func checkPlatform(im *Image, opts Options) error {
	if opts.Platform == "" || im.Config == nil || im.Config.OS == "" || im.Config.Architecture == "" {
		return nil
	}
	want, err := opts.platform()
	if err != nil {
		return err
	}
	got := v1.Platform{OS: im.Config.OS, Architecture: im.Config.Architecture, Variant: im.Config.Variant}
	if got.Satisfies(*want) {
		return nil
	}
	return fmt.Errorf("image %q is for %s, not the requested %s: pick an image built for %s, "+
		"or leave out --platform", im.Ref, got.String(), want.String(), want.String())
}

func detect(ctx context.Context, ref string, opts Options) (*Image, error) {
	if info, err := os.Stat(ref); err == nil {
		if !info.IsDir() {
			return openArchive(ref, "", opts)
		}
		if _, err := os.Stat(ref + "/oci-layout"); err == nil {
			return openLayoutDir(ref, opts)
		}
		return openDir(ref)
	}
	if looksLikePath(ref) {
		return nil, fmt.Errorf("%w: no file or directory %q", ErrNotFound, ref)
	}
	im, derr := openDaemon(ctx, ref, opts)
	if derr == nil {
		return im, nil
	}
	opts.Logger.Debug("image not in the Docker Engine, trying its registry",
		slog.String("image", ref), slog.Any("error", derr))
	im, rerr := openRegistry(ctx, ref, opts)
	if rerr == nil {
		return im, nil
	}
	engine := "not an image in the Docker Engine"
	if !errors.Is(derr, ErrNotFound) {
		engine = fmt.Sprintf("not read from the Docker Engine (%v)", derr)
	}
	var lookupErr *registryLookupError
	if errors.As(rerr, &lookupErr) {
		return nil, fmt.Errorf("%q is not a file, %s, and %w", ref, engine, rerr)
	}
	return nil, fmt.Errorf("%q is not a file, %s, and reading it from its registry failed: %w", ref, engine, rerr)
}

// looksLikePath reports whether ref can only be a path, never an image name.
func looksLikePath(ref string) bool {
	return strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "../") ||
		strings.HasSuffix(ref, ".tar") || strings.HasSuffix(ref, ".tar.gz") || strings.Contains(ref, "\\")
}

func openDir(dir string) (*Image, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("opening root file system: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("opening root file system %q: not a directory", dir)
	}
	return &Image{Kind: KindDir, Name: dir, Dir: dir}, nil
}
