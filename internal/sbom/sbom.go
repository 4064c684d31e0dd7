// Package sbom writes software bills of materials from a package
// inventory: CycloneDX 1.6 JSON and SPDX 2.3 JSON, each through its
// format's official Go library. It sits after cataloguing and reads the
// inventory only, never findings.
package sbom

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dockward/dockward/internal/input/pkgdb"
)

// Format names, as --format accepts them.
const (
	FormatCycloneDX = "cyclonedx"
	FormatSPDXJSON  = "spdx-json"
)

// Formats lists the SBOM formats Write supports.
var Formats = []string{FormatCycloneDX, FormatSPDXJSON}

// Subject is the image or root file system an SBOM describes.
type Subject struct {
	// Name is the image reference or directory as the user gave it.
	Name string
	// Image is true for container images and false for directories.
	Image bool
	// Digest is the image's manifest digest, when known.
	Digest string
	// ConfigDigest is the digest of the image config, when known. Docker's
	// classic image store shows it as the image ID.
	ConfigDigest string
}

// digests returns the subject's known digests as property names and
// values, the manifest digest first.
func (s Subject) digests() [][2]string {
	var out [][2]string
	if s.Digest != "" {
		out = append(out, [2]string{"dockward:image:manifest-digest", s.Digest})
	}
	if s.ConfigDigest != "" {
		out = append(out, [2]string{"dockward:image:config-digest", s.ConfigDigest})
	}
	return out
}

// Options are the document-level fields of an SBOM.
type Options struct {
	Subject Subject
	// ToolVersion is dockward's version, recorded as the creating tool.
	ToolVersion string
	// Now is the creation time; the zero value means time.Now.
	Now time.Time
}

// Write encodes inv in format to w.
func Write(w io.Writer, format string, inv *pkgdb.Inventory, opts Options) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	switch strings.ToLower(format) {
	case FormatCycloneDX:
		return WriteCycloneDX(w, inv, opts)
	case FormatSPDXJSON:
		return WriteSPDX(w, inv, opts)
	}
	return fmt.Errorf("unknown SBOM format %q: use %s", format, strings.Join(Formats, " or "))
}

// newUUID returns a random version 4 UUID (RFC 9562).
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func subjectName(s Subject) string {
	if s.Name == "" {
		return "unnamed"
	}
	return s.Name
}

// packageProperties are the inventory fields that neither format has a
// field for, as name and value pairs.
func packageProperties(p *pkgdb.Package) [][2]string {
	var out [][2]string
	add := func(name, value string) {
		if value != "" {
			out = append(out, [2]string{name, value})
		}
	}
	add("dockward:package:type", p.Type)
	add("dockward:package:ecosystem", p.Ecosystem)
	add("dockward:package:path", p.Path)
	if p.LayerIndex >= 0 && p.LayerDigest != "" {
		add("dockward:layer:index", fmt.Sprint(p.LayerIndex))
	}
	add("dockward:layer:digest", p.LayerDigest)
	add("dockward:package:source-name", p.SourceName)
	add("dockward:package:source-version", p.SourceVersion)
	add("dockward:package:arch", p.Arch)
	add("dockward:go:toolchain", p.GoVersion)
	if p.Main {
		add("dockward:go:main-module", "true")
	}
	return out
}
