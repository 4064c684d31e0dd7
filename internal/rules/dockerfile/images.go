package dockerfile

import (
	"regexp"
	"strings"

	"github.com/distribution/reference"

	"github.com/dockward/dockward/internal/input/dockerfile"
)

// imageID matches a base given by image ID, as "FROM sha256:<hex>".
var imageID = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// baseImage is a stage's base when it is an image, not an earlier stage.
type baseImage struct {
	stage  *dockerfile.Stage
	ref    string // as expanded
	named  reference.Named
	tag    string
	digest string
}

// domain returns the registry host, "docker.io" for Docker Hub.
func (b baseImage) domain() string { return reference.Domain(b.named) }

// repository returns the path inside the registry: "library/python".
func (b baseImage) repository() string { return reference.Path(b.named) }

// baseImages returns the image bases of all stages whose reference is
// known after ARG expansion. scratch and earlier stages are left out.
func (c *Context) baseImages() []baseImage {
	if c.bases == nil {
		bases := c.readBaseImages()
		c.bases = &bases
	}
	return *c.bases
}

func (c *Context) readBaseImages() []baseImage {
	var out []baseImage
	for _, s := range c.File.Stages {
		if s.Parent != nil || !s.BaseKnown || strings.EqualFold(s.Base, "scratch") || imageID.MatchString(s.Base) {
			continue // an image ID names exactly one image, like a digest
		}
		named, err := reference.ParseNormalizedNamed(s.Base)
		if err != nil {
			continue
		}
		b := baseImage{stage: s, ref: s.Base, named: named}
		if t, ok := named.(reference.Tagged); ok {
			b.tag = t.Tag()
		}
		if d, ok := named.(reference.Digested); ok {
			b.digest = d.Digest().String()
		}
		out = append(out, b)
	}
	return out
}
