package runtime

import (
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// ImageNotPinned fires on an image reference without a tag or with latest.
var ImageNotPinned = &rule.Rule{
	ID:       "RT035",
	Slug:     "image-not-pinned",
	Title:    "Image not pinned",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "An image without a tag, or tagged latest, changes whenever it is pushed, so " +
		"the container runs code nobody reviewed and a run cannot be repeated. A version tag is " +
		"better; a digest pins the exact image.",
	Fix: "Name a version, better a digest. docker: `nginx:1.27.3@sha256:...`. Compose: " +
		"`image: nginx:1.27.3@sha256:...`. Kubernetes: `image: nginx:1.27.3@sha256:...` with " +
		"`imagePullPolicy: IfNotPresent`.",
	Bad:  "docker run nginx:latest",
	Good: "docker run nginx:1.27.3",
}

func checkImageNotPinned(c *rt.Container, e *emitter) {
	img := c.Image
	if !img.Known() || img.V == "" || strings.Contains(img.V, "@") {
		return
	}
	if strings.HasPrefix(img.V, "sha256:") || isImageID(img.V) {
		return
	}
	name := img.V[strings.LastIndex(img.V, "/")+1:]
	_, tag, hasTag := strings.Cut(name, ":")
	switch {
	case !hasTag:
		e.at(img.Pos, "image %s has no tag, so it means latest", img.V)
	case tag == "latest":
		e.at(img.Pos, "image %s uses the latest tag", img.V)
	}
}

// isImageID reports whether s is a full or short hexadecimal image ID.
func isImageID(s string) bool {
	if len(s) != 12 && len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
