package dockerfile

import (
	"strings"

	"github.com/distribution/reference"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df034 = &rule.Rule{
	ID: "DF034", Slug: "base-image-not-allowed", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "Base image outside the allowed registries or images",
	Description: "The organisation's `.dockward.yaml` limits where base images may come from " +
		"(`policy.allowed_registries`) or which base images may be used " +
		"(`policy.allowed_base_images`), and this base is outside that list. The rule runs " +
		"only when one of the lists is configured.",
	Fix: "Use a base image from an allowed registry, such as the organisation's mirror " +
		"(`FROM registry.example.com/library/alpine:3.20`), or extend the policy.",
	Bad:  "# policy.allowed_registries: [registry.example.com]\nFROM alpine:3.20",
	Good: "# policy.allowed_registries: [registry.example.com]\nFROM registry.example.com/library/alpine:3.20",
}

func checkRegistryAllowlist(c *Context) {
	if c.Env == nil || c.Env.Config == nil {
		return
	}
	p := c.Env.Config.Policy
	if len(p.AllowedRegistries) == 0 && len(p.AllowedBaseImages) == 0 {
		return
	}
	for _, b := range c.baseImages() {
		full := b.domain() + "/" + b.repository()
		if len(p.AllowedRegistries) > 0 && !matchesAny(full, p.AllowedRegistries, true) {
			c.report(df034, b.stage.From, "base image %q comes from %s, which is not in policy.allowed_registries",
				b.ref, b.domain())
			continue
		}
		if len(p.AllowedBaseImages) > 0 && !matchesAny(full, p.AllowedBaseImages, false) {
			c.report(df034, b.stage.From, "base image %q is not in policy.allowed_base_images", reference.FamiliarName(b.named))
		}
	}
}

// matchesAny reports whether a full image name (domain/path) is allowed by
// a list of entries: a registry host, a host with a path prefix, or an
// image name, with "/*" allowing a whole namespace.
func matchesAny(full string, entries []string, prefixes bool) bool {
	for _, e := range entries {
		e = strings.TrimSuffix(strings.TrimSpace(e), "/")
		if !prefixes {
			e = normalizeImageEntry(e)
		}
		switch {
		case strings.HasSuffix(e, "/*"):
			if strings.HasPrefix(full, strings.TrimSuffix(e, "*")) {
				return true
			}
		case full == e:
			return true
		case prefixes && strings.HasPrefix(full, e+"/"):
			return true
		}
	}
	return false
}

// normalizeImageEntry writes an allowed image as a full name, so "alpine"
// becomes "docker.io/library/alpine" and "acme/*" "docker.io/acme/*".
func normalizeImageEntry(e string) string {
	wildcard := strings.HasSuffix(e, "/*")
	base := strings.TrimSuffix(e, "/*")
	if wildcard && !strings.Contains(base, "/") {
		return "docker.io/" + base + "/*" // a Docker Hub namespace
	}
	named, err := reference.ParseNormalizedNamed(base)
	if err != nil {
		return e
	}
	if wildcard {
		return named.Name() + "/*"
	}
	return named.Name()
}
