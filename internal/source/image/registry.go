package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	inimage "github.com/dockward/dockward/internal/input/image"
)

// ErrRegistryUnreachable is returned when the registry host of a
// reference cannot be resolved or connected to.
var ErrRegistryUnreachable = errors.New("registry unreachable")

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

	var rt http.RoundTripper = remote.DefaultTransport
	if opts.transport != nil {
		rt = opts.transport
	}
	if !opts.InsecureRegistry {
		rt = loopbackHTTPOnly{rt}
	}
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithTransport(rt)}
	desc, err := remote.Get(r, ropts...)
	if err != nil {
		return nil, registryError(r, err)
	}
	img, err := pickRegistryImage(desc, p, opts.Platform != "")
	if err != nil {
		return nil, fmt.Errorf("image %q: %w", ref, err)
	}

	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading config of %q: %w", ref, registryError(r, err))
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

// loopbackHTTPOnly rejects plain HTTP to any host but the loopback
// interface. go-containerregistry falls back to HTTP for registries on
// private addresses (10.0.0.0/8 and others) and .local names, which would
// send credentials and accept content that anyone on the path can change.
// Docker allows that only for 127.0.0.0/8 unless the daemon's
// configuration lists more registries, and --insecure-registry is
// dockward's way to allow it.
type loopbackHTTPOnly struct{ base http.RoundTripper }

func (t loopbackHTTPOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == "http" && !isLoopbackHost(req.URL.Hostname()) {
		return nil, fmt.Errorf("plain HTTP to %s is not allowed: the registry did not respond over HTTPS; "+
			"pass --insecure-registry if it is a test registry you trust", req.URL.Host)
	}
	return t.base.RoundTrip(req)
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// pickRegistryImage returns the image a descriptor names, choosing from
// an index, and from nested indexes, with the same rules and error message
// as OCI layouts.
func pickRegistryImage(desc *remote.Descriptor, want *v1.Platform, explicit bool) (v1.Image, error) {
	if !desc.MediaType.IsIndex() {
		return desc.Image()
	}
	idx, err := desc.ImageIndex()
	if err != nil {
		return nil, err
	}
	for range maxIndexDepth {
		m, err := idx.IndexManifest()
		if err != nil {
			return nil, fmt.Errorf("reading index: %w", err)
		}
		d, err := pickManifest(m.Manifests, want, explicit)
		if err != nil {
			return nil, err
		}
		if !d.MediaType.IsIndex() {
			return idx.Image(d.Digest)
		}
		if idx, err = idx.ImageIndex(d.Digest); err != nil {
			return nil, fmt.Errorf("reading nested index %s: %w", d.Digest, err)
		}
	}
	return nil, fmt.Errorf("indexes nested more than %d deep", maxIndexDepth)
}

// registryLookupError is a failed registry lookup. Its message is a
// clause about the registry, so that callers can put the reference and
// other sources in front of it.
type registryLookupError struct {
	msg   string
	class error // ErrNotFound, ErrRegistryUnreachable or nil
	err   error
}

func (e *registryLookupError) Error() string { return e.msg }

func (e *registryLookupError) Unwrap() []error {
	if e.class == nil {
		return []error{e.err}
	}
	return []error{e.class, e.err}
}

// localHint points users who meant a local image to the source prefixes.
const localHint = "check the image name, or name a local image with a source prefix such as " +
	"docker:, docker-archive:, oci-dir: or dir:"

// registryError describes what failed when reading r from its registry:
// the host name could not be resolved, the host could not be reached, the
// registry has no such image or denied access, or something else.
func registryError(r name.Reference, err error) error {
	host := r.Context().RegistryStr()

	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &registryLookupError{class: ErrRegistryUnreachable, err: err,
			msg: fmt.Sprintf("its registry host %q could not be resolved (%s): %s", host, dnsErr.Err, localHint)}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return &registryLookupError{class: ErrRegistryUnreachable, err: err,
			msg: fmt.Sprintf("its registry host %q could not be reached (%v): %s", host, opErr.Err, localHint)}
	}

	var terr *transport.Error
	if errors.As(err, &terr) {
		codes := make([]transport.ErrorCode, 0, len(terr.Errors))
		for _, d := range terr.Errors {
			codes = append(codes, d.Code)
		}
		switch {
		case terr.StatusCode == http.StatusNotFound || slices.Contains(codes, transport.ManifestUnknownErrorCode) ||
			slices.Contains(codes, transport.NameUnknownErrorCode):
			return &registryLookupError{class: ErrNotFound, err: err,
				msg: fmt.Sprintf("%v in registry %s (%s)", ErrNotFound, host, describeTransportError(terr))}
		case terr.StatusCode == http.StatusUnauthorized || terr.StatusCode == http.StatusForbidden ||
			slices.Contains(codes, transport.UnauthorizedErrorCode) || slices.Contains(codes, transport.DeniedErrorCode):
			// Docker Hub returns 401 for repositories that do not exist.
			return &registryLookupError{class: ErrNotFound, err: err,
				msg: fmt.Sprintf("registry %s denied access (%s): the repository does not exist or needs "+
					"credentials, so check the name or log in with docker login %s", host,
					describeTransportError(terr), host)}
		}
		return &registryLookupError{err: err, msg: fmt.Sprintf("the request to registry %s failed: %s", host,
			describeTransportError(terr))}
	}
	return &registryLookupError{err: err, msg: fmt.Sprintf("the request to registry %s failed: %v", host, err)}
}

// describeTransportError writes a registry's error response as its HTTP
// status and its error codes and messages. The error's own text appends
// each error's detail, which registries fill with Go maps or JSON that
// mean little to a reader.
func describeTransportError(terr *transport.Error) string {
	parts := []string{fmt.Sprintf("HTTP %d", terr.StatusCode)}
	for _, d := range terr.Errors {
		parts = append(parts, fmt.Sprintf("%s: %s", d.Code, d.Message))
	}
	return strings.Join(parts, "; ")
}
