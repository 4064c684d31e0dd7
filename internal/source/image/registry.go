package image

import (
	"context"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	inimage "github.com/dockward/dockward/internal/input/image"
)

// openRegistry fetches an image's manifest and config from its registry;
// layers are downloaded when the tree is read. Credentials come from the
// Docker config file ($DOCKER_CONFIG or ~/.docker/config.json) and the
// credential helpers it names.
func openRegistry(ctx context.Context, ref string, opts Options) (*Image, error) {
	var nameOpts []name.Option
	if opts.InsecureRegistry {
		nameOpts = append(nameOpts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nameOpts...)
	if err != nil {
		return nil, fmt.Errorf("invalid image reference %q: %w", ref, err)
	}
	p, err := opts.platform()
	if err != nil {
		return nil, err
	}

	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithPlatform(*p)}
	desc, err := remote.Get(r, ropts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %q in its registry: %v", ErrNotFound, ref, err)
	}
	img, err := desc.Image()
	if err != nil {
		return nil, fmt.Errorf("reading image %q: %w", ref, err)
	}

	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading config of %q: %w", ref, err)
	}
	digest, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("reading manifest of %q: %w", ref, err)
	}
	configDigest, err := img.ConfigName()
	if err != nil {
		return nil, fmt.Errorf("reading config of %q: %w", ref, err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading layers of %q: %w", ref, err)
	}

	im := &Image{Kind: KindRegistry, Name: r.Name(), Digest: digest.String(), ConfigDigest: configDigest.String(),
		Config: cfg}
	if cfg.OS != "" {
		im.Platform = cfg.Platform().String()
	}
	for i, l := range layers {
		d, err := l.Digest()
		if err != nil {
			return nil, fmt.Errorf("reading layer %d of %q: %w", i, ref, err)
		}
		mt, _ := l.MediaType()
		layer := inimage.Layer{Digest: d.String(), MediaType: string(mt),
			Open: func() (io.ReadCloser, error) { return l.Compressed() }}
		if i < len(cfg.RootFS.DiffIDs) {
			layer.DiffID = cfg.RootFS.DiffIDs[i].String()
		}
		im.Layers = append(im.Layers, layer)
	}
	return im, nil
}
