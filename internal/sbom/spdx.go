package sbom

import (
	"cmp"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/dockward/dockward/internal/input/pkgdb"
)

const noAssertion = "NOASSERTION"

// namespaceBase prefixes SPDX document namespaces. The namespace only has
// to be a unique URI; nothing is served there.
const namespaceBase = "https://dockward.invalid/spdx/"

var spdxIDUnsafe = regexp.MustCompile(`[^A-Za-z0-9.\-]+`)

// WriteSPDX encodes inv as an SPDX 2.3 JSON document. The document
// describes a package for the subject, which contains the OS and every
// catalogued package.
func WriteSPDX(w io.Writer, inv *pkgdb.Inventory, opts Options) error {
	name := subjectName(opts.Subject)
	doc := &spdx.Document{
		SPDXVersion:       spdx.Version,
		DataLicense:       spdx.DataLicense,
		SPDXIdentifier:    "DOCUMENT",
		DocumentName:      name,
		DocumentNamespace: namespaceBase + url.PathEscape(name) + "-" + newUUID(),
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: "dockward-" + opts.ToolVersion}},
			Created:  opts.Now.UTC().Format(time.RFC3339),
		},
	}

	root := spdxPackage("Subject", name, cmp.Or(opts.Subject.Digest, opts.Subject.ConfigDigest))
	root.PrimaryPackagePurpose = "FILE"
	if opts.Subject.Image {
		root.PrimaryPackagePurpose = "CONTAINER"
	}
	var digests []string
	for _, kv := range opts.Subject.digests() {
		digests = append(digests, kv[0]+"="+kv[1])
	}
	root.PackageComment = strings.Join(digests, "; ")
	doc.Packages = append(doc.Packages, root)
	doc.Relationships = append(doc.Relationships, relate("DOCUMENT", root.PackageSPDXIdentifier, "DESCRIBES"))

	if o := inv.OS; o != nil {
		p := spdxPackage("OS", o.ID, o.VersionID)
		p.PrimaryPackagePurpose = "OPERATING-SYSTEM"
		p.PackageDescription = o.Pretty
		doc.Packages = append(doc.Packages, p)
		doc.Relationships = append(doc.Relationships, relate(root.PackageSPDXIdentifier, p.PackageSPDXIdentifier, "CONTAINS"))
	}
	refs := newLicenseRefs()
	for i := range inv.Packages {
		p := spdxInventoryPackage(i, &inv.Packages[i], refs)
		doc.Packages = append(doc.Packages, p)
		doc.Relationships = append(doc.Relationships, relate(root.PackageSPDXIdentifier, p.PackageSPDXIdentifier, "CONTAINS"))
	}

	doc.OtherLicenses = refs.infos

	if err := spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("encoding SPDX: %w", err)
	}
	return nil
}

func spdxPackage(id, name, version string) *spdx.Package {
	return &spdx.Package{
		PackageName:               name,
		PackageSPDXIdentifier:     common.ElementID(id),
		PackageVersion:            version,
		PackageDownloadLocation:   noAssertion,
		FilesAnalyzed:             false,
		IsFilesAnalyzedTagPresent: true,
		PackageLicenseConcluded:   noAssertion,
		PackageLicenseDeclared:    noAssertion,
		PackageCopyrightText:      noAssertion,
	}
}

func spdxInventoryPackage(i int, p *pkgdb.Package, refs *licenseRefs) *spdx.Package {
	id := fmt.Sprintf("Package-%d-%s", i, spdxIDUnsafe.ReplaceAllString(p.Type+"-"+p.Name, "-"))
	sp := spdxPackage(id, p.Name, p.Version)
	sp.PrimaryPackagePurpose = "LIBRARY"
	if p.Main {
		sp.PrimaryPackagePurpose = "APPLICATION"
	}
	sp.PackageLicenseDeclared = spdxLicenseExpression(p.Licenses, refs)
	if p.PURL != "" {
		sp.PackageExternalReferences = []*spdx.PackageExternalReference{{
			Category: common.CategoryPackageManager, RefType: common.TypePackageManagerPURL, Locator: p.PURL,
		}}
	}
	var info []string
	for _, kv := range packageProperties(p) {
		info = append(info, kv[0]+"="+kv[1])
	}
	sp.PackageSourceInfo = strings.Join(info, "; ")
	return sp
}

// spdxLicenseExpression joins the licences with AND. Each licence is an
// SPDX identifier when it is or stands for one, a parenthesised license
// expression of them, or else a LicenseRef that refs registers. It returns
// NOASSERTION when there is no licence.
func spdxLicenseExpression(lics []string, refs *licenseRefs) string {
	var parts []string
	for _, l := range lics {
		if strings.TrimSpace(l) == "" {
			continue
		}
		part := spdxID(l)
		if part == "" {
			part = licenseExpression(l, spdxID)
			if part != "" && len(lics) > 1 {
				part = "(" + part + ")"
			}
		}
		if part == "" {
			part = refs.ref(l)
		}
		if !slices.Contains(parts, part) {
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return noAssertion
	}
	return strings.Join(parts, " AND ")
}

// licenseRefs assigns LicenseRef identifiers to licence names that are
// not on the SPDX License List and records each once, as SPDX 2.3
// requires, in the document's hasExtractedLicensingInfos.
type licenseRefs struct {
	byName map[string]string
	used   map[string]bool
	infos  []*spdx.OtherLicense
}

func newLicenseRefs() *licenseRefs {
	return &licenseRefs{byName: make(map[string]string), used: make(map[string]bool)}
}

// ref returns the LicenseRef for name, registering it on first use. The
// idstring keeps the letters, digits, dots and hyphens of the name, so
// "GPL-3+ with Bison exception" becomes
// LicenseRef-GPL-3-with-Bison-exception, and gets a numeric suffix when
// another name already produced the same idstring.
func (r *licenseRefs) ref(name string) string {
	name = strings.TrimSpace(name)
	if id, ok := r.byName[name]; ok {
		return id
	}
	base := "LicenseRef-" + cmp.Or(strings.Trim(spdxIDUnsafe.ReplaceAllString(name, "-"), "-"), "unnamed")
	id := base
	for n := 2; r.used[strings.ToLower(id)]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	r.used[strings.ToLower(id)] = true
	r.byName[name] = id

	info := &spdx.OtherLicense{
		LicenseIdentifier: id,
		LicenseName:       name,
		ExtractedText:     name,
		LicenseComment:    "The package declares this licence by name only, so the text is the name.",
	}
	if u, err := url.Parse(name); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		info.LicenseCrossReferences = []string{name}
	}
	r.infos = append(r.infos, info)
	return id
}

func relate(a, b common.ElementID, typ string) *spdx.Relationship {
	return &spdx.Relationship{
		RefA:         common.DocElementID{ElementRefID: a},
		RefB:         common.DocElementID{ElementRefID: b},
		Relationship: typ,
	}
}
