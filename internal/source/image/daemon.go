package image

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/dockward/dockward/internal/source/dockerapi"
)

// openDaemon exports an image from the Docker Engine named by DOCKER_HOST.
// The engine's export is a tar whose manifest comes last. It is spooled
// to a private temporary file, removed on Close, and read as a docker
// save archive without extracting anything.
func openDaemon(ctx context.Context, ref string, opts Options) (*Image, error) {
	c, err := dockerapi.Connect(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	inspect, err := c.ImageInspect(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("%w: %q in the Docker Engine: %v", ErrNotFound, ref, err)
	}

	var saveOpts []client.ImageSaveOption
	if opts.Platform != "" {
		p, err := opts.platform()
		if err != nil {
			return nil, err
		}
		saveOpts = append(saveOpts, client.ImageSaveWithPlatforms(ocispec.Platform{
			OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}))
	}
	rc, err := c.ImageSave(ctx, []string{ref}, saveOpts...)
	if err != nil {
		return nil, fmt.Errorf("exporting %q from the Docker Engine: %w", ref, err)
	}
	defer rc.Close()

	dir, err := os.MkdirTemp(opts.TempDir, "dockward-image-")
	if err != nil {
		return nil, fmt.Errorf("creating a spool directory for %q: %w", ref, err)
	}
	cleanup := func() error { return os.RemoveAll(dir) }
	spool := filepath.Join(dir, "image.tar")
	if err := copyToFile(spool, rc); err != nil {
		cleanup()
		return nil, fmt.Errorf("exporting %q from the Docker Engine: %w", ref, err)
	}
	im, err := openArchive(spool, KindDockerArchive, opts)
	if err != nil {
		cleanup()
		return nil, err
	}
	im.Kind = KindDocker
	im.Name = ref
	// The image ID is the config digest in the classic image store and
	// the manifest or index digest in the containerd image store.
	if im.Digest == "" && inspect.ID != im.ConfigDigest {
		im.Digest = inspect.ID
	}
	im.closers = append([]func() error{cleanup}, im.closers...)
	return im, nil
}

func copyToFile(name string, r io.Reader) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
