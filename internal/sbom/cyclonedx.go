package sbom

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/dockward/dockward/internal/input/pkgdb"
)

// WriteCycloneDX encodes inv as a CycloneDX 1.6 JSON document. The
// subject is the metadata component; the OS and every package are
// components that it depends on.
func WriteCycloneDX(w io.Writer, inv *pkgdb.Inventory, opts Options) error {
	bom := cdx.NewBOM()
	bom.SerialNumber = "urn:uuid:" + newUUID()

	root := cdx.Component{
		BOMRef:  "subject",
		Type:    cdx.ComponentTypeFile,
		Name:    subjectName(opts.Subject),
		Version: cmp.Or(opts.Subject.Digest, opts.Subject.ConfigDigest),
	}
	if opts.Subject.Image {
		root.Type = cdx.ComponentTypeContainer
	}
	var rootProps []cdx.Property
	for _, kv := range opts.Subject.digests() {
		rootProps = append(rootProps, cdx.Property{Name: kv[0], Value: kv[1]})
	}
	if len(rootProps) > 0 {
		root.Properties = &rootProps
	}
	bom.Metadata = &cdx.Metadata{
		Timestamp: opts.Now.UTC().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "dockward", Version: opts.ToolVersion,
		}}},
		Component: &root,
	}

	var comps []cdx.Component
	var refs []string
	if o := inv.OS; o != nil {
		comps = append(comps, cdx.Component{
			BOMRef: "os", Type: cdx.ComponentTypeOS, Name: o.ID, Version: o.VersionID,
			Description: o.Pretty,
		})
		refs = append(refs, "os")
	}
	used := make(map[string]bool)
	for i := range inv.Packages {
		c := cycloneDXComponent(&inv.Packages[i])
		c.BOMRef = uniqueRef(used, c.PackageURL, inv.Packages[i].Path)
		comps = append(comps, c)
		refs = append(refs, c.BOMRef)
	}
	bom.Components = &comps
	bom.Dependencies = &[]cdx.Dependency{{Ref: root.BOMRef, Dependencies: &refs}}

	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false)
	if err := enc.EncodeVersion(bom, cdx.SpecVersion1_6); err != nil {
		return fmt.Errorf("encoding CycloneDX: %w", err)
	}
	return nil
}

func cycloneDXComponent(p *pkgdb.Package) cdx.Component {
	c := cdx.Component{
		Type:       cdx.ComponentTypeLibrary,
		Name:       p.Name,
		Version:    p.Version,
		PackageURL: p.PURL,
	}
	if p.Main {
		c.Type = cdx.ComponentTypeApplication
	}
	if p.Type == "maven" {
		if group, artifact, ok := strings.Cut(p.Name, ":"); ok {
			c.Group, c.Name = group, artifact
		}
	}
	if lics := cycloneDXLicenses(p.Licenses); len(lics) > 0 {
		c.Licenses = &lics
	}
	if p.Path != "" {
		occ := cdx.EvidenceOccurrence{Location: p.Path}
		if p.LayerDigest != "" {
			occ.AdditionalContext = fmt.Sprintf("layer %d (%s)", p.LayerIndex, p.LayerDigest)
		}
		c.Evidence = &cdx.Evidence{Occurrences: &[]cdx.EvidenceOccurrence{occ}}
	}
	var props []cdx.Property
	for _, kv := range packageProperties(p) {
		props = append(props, cdx.Property{Name: kv[0], Value: kv[1]})
	}
	if len(props) > 0 {
		c.Properties = &props
	}
	return c
}

// uniqueRef returns the PURL as the bom-ref, qualified by the path, then
// a counter, when the same PURL was found more than once.
func uniqueRef(used map[string]bool, purl, path string) string {
	ref := purl
	if used[ref] {
		ref = purl + "#" + path
	}
	for n := 2; used[ref]; n++ {
		ref = fmt.Sprintf("%s#%s#%d", purl, path, n)
	}
	used[ref] = true
	return ref
}

// cycloneDXLicenses writes one licence that is a compound SPDX expression
// as an expression, and each other licence as an SPDX identifier when it
// is or stands for one, else as a name. The schema allows an expression
// only as the sole entry.
func cycloneDXLicenses(lics []string) cdx.Licenses {
	if len(lics) == 1 {
		if expr := licenseExpression(lics[0], licenseID); expr != "" {
			return cdx.Licenses{{Expression: expr}}
		}
	}
	var out cdx.Licenses
	seen := make(map[string]bool)
	for _, l := range lics {
		lic := &cdx.License{Name: l}
		if id := licenseID(l); id != "" {
			lic = &cdx.License{ID: id}
		}
		if key := lic.ID + "\x00" + lic.Name; !seen[key] {
			seen[key] = true
			out = append(out, cdx.LicenseChoice{License: lic})
		}
	}
	return out
}
