package vulndb

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/openvex/go-vex/pkg/vex"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/finding"
)

// Ignore suppresses one advisory, optionally only for one package, until
// an expiry date.
type Ignore struct {
	// ID is the advisory ID or one of its aliases (a CVE ID).
	ID string
	// Package limits the entry to a package name or PURL; empty means any.
	Package string
	Reason  string
	// Expires is the last day the entry applies; zero means never.
	Expires time.Time
	// Source is where the entry was written, as path:line.
	Source string
}

// Policy decides which vulnerability findings are shown and which are
// suppressed.
type Policy struct {
	// MinSeverity drops findings below it.
	MinSeverity finding.Severity
	// IgnoreUnfixed drops advisories without a fixed version.
	IgnoreUnfixed bool
	// LinkedOnly drops Go advisories whose vulnerable functions are known
	// not to be linked into the binary.
	LinkedOnly bool
	// Ignores suppress findings with a reason.
	Ignores []Ignore
	// VEX documents mark advisories as not affecting a product.
	VEX []*vex.VEX
	// Product is the image or artifact that VEX statements may name as
	// their product, for example a PURL of the image; package PURLs are
	// always tried.
	Product string
	// Now is the date for expiry checks; zero means time.Now.
	Now time.Time
}

// Apply filters and suppresses findings produced by Match. Findings of
// other scanners pass through unchanged.
func (p *Policy) Apply(fs []finding.Finding) []finding.Finding {
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	out := fs[:0]
	for _, f := range fs {
		raw, ok := f.Extra["vulnerability"]
		if !ok {
			out = append(out, f)
			continue
		}
		var v Vulnerability
		if json.Unmarshal(raw, &v) != nil {
			out = append(out, f)
			continue
		}
		if f.Severity < p.MinSeverity ||
			p.IgnoreUnfixed && len(v.FixedVersions) == 0 ||
			p.LinkedOnly && v.Reachability == SymbolNotLinked {
			continue
		}
		if !f.Suppressed {
			if s := p.suppression(v, now); s != nil {
				f.Suppressed, f.Suppress = true, s
			}
		}
		out = append(out, f)
	}
	return out
}

func (p *Policy) suppression(v Vulnerability, now time.Time) *finding.Suppression {
	names := append([]string{v.ID}, v.Aliases...)
	for _, ig := range p.Ignores {
		if !ig.Expires.IsZero() && now.After(ig.Expires.AddDate(0, 0, 1)) {
			continue
		}
		if !containsFold(names, ig.ID) {
			continue
		}
		if ig.Package != "" && ig.Package != v.Package.Name && ig.Package != v.Package.PURL &&
			ig.Package != v.Package.SourceName {
			continue
		}
		return &finding.Suppression{Kind: "config", Reason: ig.Reason, Source: ig.Source}
	}
	for _, doc := range p.VEX {
		if s := vexStatement(doc, names, v.Package.PURL, p.Product); s != nil {
			reason := fmt.Sprintf("VEX: %s", s.Status)
			if s.Justification != "" {
				reason += " (" + string(s.Justification) + ")"
			}
			if s.ImpactStatement != "" {
				reason += ": " + s.ImpactStatement
			}
			return &finding.Suppression{Kind: "vex", Reason: reason, Source: doc.ID}
		}
	}
	return nil
}

// vexStatement returns the latest statement of doc about one of the
// advisory names for the package, when it says the package is not
// affected or fixed. A statement may name the package PURL as its product,
// or the image (product) with the package as a subcomponent.
func vexStatement(doc *vex.VEX, names []string, purl, product string) *vex.Statement {
	var ts time.Time
	if doc.Timestamp != nil {
		ts = *doc.Timestamp
	}
	stmts := slices.Clone(doc.Statements)
	vex.SortStatements(stmts, ts)
	for i := len(stmts) - 1; i >= 0; i-- {
		s := &stmts[i]
		named := false
		for _, n := range names {
			if s.Vulnerability.Matches(n) {
				named = true
				break
			}
		}
		if !named || !statementCovers(s, purl, product) {
			continue
		}
		if s.Status == vex.StatusNotAffected || s.Status == vex.StatusFixed {
			return s
		}
		// A later "affected" or "under_investigation" statement overrides
		// earlier ones.
		return nil
	}
	return nil
}

func statementCovers(s *vex.Statement, purl, product string) bool {
	if purl == "" {
		return false
	}
	for i := range s.Products {
		pr := &s.Products[i]
		if pr.Matches(purl, "") && len(pr.Subcomponents) == 0 {
			return true
		}
		if product != "" && pr.Matches(product, purl) && len(pr.Subcomponents) > 0 {
			return true
		}
	}
	return false
}

// LoadVEX reads OpenVEX documents.
func LoadVEX(paths []string) ([]*vex.VEX, error) {
	var docs []*vex.VEX
	for _, path := range paths {
		doc, err := vex.Open(path)
		if err != nil {
			return nil, fmt.Errorf("reading OpenVEX document %s: %w", path, err)
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// PolicyFromConfig builds the policy of a configuration: its ignore list,
// unfixed filter and VEX documents. VEX paths are relative to the
// configuration file.
func PolicyFromConfig(cfg *config.Config) (Policy, error) {
	v := cfg.Vulnerabilities
	p := Policy{IgnoreUnfixed: v.IgnoreUnfixed}
	for _, e := range v.Ignore {
		ig := Ignore{ID: e.ID, Package: e.Package, Reason: e.Reason}
		if e.Expires != nil {
			ig.Expires = e.Expires.Time
		}
		if cfg.Path != "" {
			ig.Source = fmt.Sprintf("%s:%d", cfg.Path, e.Line)
		}
		p.Ignores = append(p.Ignores, ig)
	}
	var paths []string
	for _, path := range v.VEX {
		if !filepath.IsAbs(path) && cfg.Path != "" {
			path = filepath.Join(filepath.Dir(cfg.Path), path)
		}
		paths = append(paths, path)
	}
	docs, err := LoadVEX(paths)
	if err != nil {
		return p, err
	}
	p.VEX = docs
	return p, nil
}
