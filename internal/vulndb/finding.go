package vulndb

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/pkgdb"
)

// newFinding builds the finding for one advisory on one package.
func newFinding(e *Entry, p pkgdb.Package, q lookup, fixed []string, reach string, symbols []string) finding.Finding {
	r := rate(e)
	v := Vulnerability{
		ID: e.ID, Aliases: nonNil(e.Aliases), Summary: e.Summary,
		Package: VulnPackage{
			Name: p.Name, Version: p.Version, Ecosystem: q.ecosystem, PURL: purlOf(p, q),
		},
		FixedVersions: nonNil(fixed), Severity: r.Severity.String(), Score: r.Score,
		Vector: r.Vector, CVSSVersion: r.Version, SourceRating: r.Source,
		Found:        FoundLocation{Path: p.Path, LayerIndex: p.LayerIndex, LayerDigest: p.LayerDigest},
		Reachability: reach, Symbols: symbols,
	}
	if q.name != p.Name || q.version != p.Version {
		v.Package.SourceName, v.Package.SourceVersion = q.name, q.version
	}
	if !e.Published.IsZero() {
		v.Published = e.Published.Format(time.DateOnly)
	}
	v.Fix = fixText(p, q, fixed)

	f := finding.Finding{
		RuleID:   e.ID,
		Severity: r.Severity,
		Title:    cmp.Or(e.Summary, e.ID),
		Message:  message(e, p, q, fixed, reach),
		Location: finding.Location{ImagePath: p.Path, Layer: p.LayerDigest},
		Fix:      v.Fix,
	}
	if p.LayerIndex >= 0 {
		idx := p.LayerIndex
		f.Location.LayerIndex = &idx
	}
	f.References = append(f.References, finding.Reference{Title: e.ID, URL: advisoryURL(e.ID)})
	for _, u := range e.References {
		if len(f.References) >= 4 {
			break
		}
		f.References = append(f.References, finding.Reference{Title: "advisory reference", URL: u})
	}
	// Encoding a struct of strings and numbers cannot fail.
	_ = f.SetExtra("vulnerability", v)
	return f
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// advisoryURL links an advisory's page: the Go vulnerability database for
// GO- IDs, osv.dev for everything else.
func advisoryURL(id string) string {
	if strings.HasPrefix(id, "GO-") {
		return "https://pkg.go.dev/vuln/" + id
	}
	return "https://osv.dev/vulnerability/" + id
}

func message(e *Entry, p pkgdb.Package, q lookup, fixed []string, reach string) string {
	var b strings.Builder
	name := p.Name
	if p.Name == "stdlib" {
		name = "Go standard library"
	}
	fmt.Fprintf(&b, "%s %s", name, p.Version)
	if q.name != p.Name {
		fmt.Fprintf(&b, " (source package %s %s)", q.name, q.version)
	}
	fmt.Fprintf(&b, " is affected by %s", e.ID)
	if aliases := cveAliases(e.Aliases); aliases != "" {
		fmt.Fprintf(&b, " (%s)", aliases)
	}
	if e.Summary != "" {
		fmt.Fprintf(&b, ": %s", strings.TrimSuffix(e.Summary, "."))
	}
	if len(fixed) > 0 {
		fmt.Fprintf(&b, "; fixed in %s", fixed[0])
	} else {
		b.WriteString("; no fixed version is published")
	}
	switch reach {
	case SymbolPresent:
		b.WriteString("; a vulnerable function is linked into the binary")
	case SymbolNotLinked:
		b.WriteString("; none of the vulnerable functions is linked into the binary")
	}
	return b.String()
}

func cveAliases(aliases []string) string {
	var cves []string
	for _, a := range aliases {
		if strings.HasPrefix(a, "CVE-") {
			cves = append(cves, a)
		}
	}
	return strings.Join(cves, ", ")
}

// fixText tells the user what to change.
func fixText(p pkgdb.Package, q lookup, fixed []string) string {
	if len(fixed) == 0 {
		return fmt.Sprintf("no fixed version of %s is published yet; remove the package or "+
			"mitigate, and watch the advisory", q.name)
	}
	to := fixed[0]
	switch {
	case p.Name == "stdlib":
		return fmt.Sprintf("rebuild %s with Go %s or later", p.Path, strings.TrimPrefix(to, "v"))
	case q.ecosystem == "Go":
		return fmt.Sprintf("upgrade %s to v%s or later and rebuild %s", p.Name, strings.TrimPrefix(to, "v"), p.Path)
	case q.name != p.Name:
		return fmt.Sprintf("upgrade %s to the version built from %s %s or later", p.Name, q.name, to)
	}
	return fmt.Sprintf("upgrade %s to %s or later", p.Name, to)
}

// purlOf returns the package's PURL, or builds a plain one.
func purlOf(p pkgdb.Package, q lookup) string {
	if p.PURL != "" {
		return p.PURL
	}
	if p.Type == "" {
		return ""
	}
	return fmt.Sprintf("pkg:%s/%s@%s", p.Type, p.Name, p.Version)
}
