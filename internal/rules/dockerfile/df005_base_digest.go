package dockerfile

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df005 = &rule.Rule{
	ID: "DF005", Slug: "base-image-not-pinned", Severity: finding.Info, Kind: rule.KindDockerfile,
	Title: "Base image not pinned by digest",
	Description: "A tag can be moved to another image at any time by whoever controls the " +
		"repository. Only a digest names exactly one image, which makes builds reproducible " +
		"and protects against a replaced tag.",
	Fix: "Add the digest after the tag: `FROM alpine:3.20@sha256:<digest>` (see `docker buildx " +
		"imagetools inspect alpine:3.20`), and let a bot such as Renovate update it.",
	Bad:  "FROM alpine:3.20",
	Good: "FROM alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d",
}

func checkBaseDigest(c *Context) {
	for _, b := range c.baseImages() {
		if b.digest == "" {
			c.report(df005, b.stage.From, "base image %q is not pinned by digest; write it as %s@sha256:<digest>",
				b.ref, b.ref)
		}
	}
}
