// Package rule holds rule metadata, the registry that lists every rule, and
// the suppression directives users write in their files. Analyzers create
// findings through a Rule so that ID, title, severity, fix and references
// come from one place.
package rule

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/dockward/dockward/internal/finding"
)

// DocsBaseURL is the address under which the generated rule pages are published.
const DocsBaseURL = "https://github.com/dockward/dockward/blob/main/docs/rules/"

// Kind is the kind of input a rule inspects.
type Kind string

// Input kinds.
const (
	KindDockerfile Kind = "dockerfile"
	KindRuntime    Kind = "runtime"
	KindSeccomp    Kind = "seccomp"
	KindAppArmor   Kind = "apparmor"
	KindImage      Kind = "image"
	KindSecret     Kind = "secret"
	KindMeta       Kind = "meta"
)

// Rule is the metadata of one rule. Rules are values listed explicitly by
// their packages; the registry checks that IDs and slugs are unique.
type Rule struct {
	ID       string
	Slug     string // kebab-case, accepted wherever an ID is
	Title    string
	Severity finding.Severity
	Kind     Kind

	// Description explains what the rule detects and why it matters.
	Description string
	// Fix describes how to correct the problem, in words.
	Fix string
	// CIS is the CIS Docker Benchmark item, such as "4.1", or empty.
	CIS string
	// Bad and Good are short examples in the input's own syntax.
	Bad, Good string
	// Limits lists known false positives and negatives.
	Limits string
	// Extra references beside CIS and the docs page.
	References []finding.Reference

	refsOnce sync.Once
	refs     []finding.Reference
}

var (
	idPattern   = regexp.MustCompile(`^[A-Z]{2}[0-9]{3}$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// DocsURL returns the address of the rule's documentation page.
func (r *Rule) DocsURL() string { return DocsBaseURL + r.ID + ".md" }

// AllReferences returns the CIS item, the extra references and the docs
// page. Every finding of the rule shares the returned slice, so callers
// must not modify it.
func (r *Rule) AllReferences() []finding.Reference {
	r.refsOnce.Do(func() { r.refs = r.buildReferences() })
	return r.refs[:len(r.refs):len(r.refs)]
}

func (r *Rule) buildReferences() []finding.Reference {
	var refs []finding.Reference
	if r.CIS != "" {
		refs = append(refs, finding.Reference{
			Title: "CIS Docker Benchmark v1.6.0, " + r.CIS,
			URL:   "https://www.cisecurity.org/benchmark/docker",
		})
	}
	refs = append(refs, r.References...)
	refs = append(refs, finding.Reference{Title: "dockward " + r.ID, URL: r.DocsURL()})
	return refs
}

// New returns a finding of this rule at loc with a message that names the
// offending value.
func (r *Rule) New(loc finding.Location, format string, args ...any) finding.Finding {
	return finding.Finding{
		RuleID:     r.ID,
		Severity:   r.Severity,
		Title:      r.Title,
		Message:    fmt.Sprintf(format, args...),
		Location:   loc,
		Fix:        r.Fix,
		References: r.AllReferences(),
	}
}

// validate checks the metadata that every rule must carry.
func (r *Rule) validate() error {
	var errs []string
	if !idPattern.MatchString(r.ID) {
		errs = append(errs, "ID must be two capital letters and three digits")
	}
	if !slugPattern.MatchString(r.Slug) {
		errs = append(errs, "slug must be kebab-case")
	}
	if r.Title == "" || r.Description == "" || r.Fix == "" {
		errs = append(errs, "title, description and fix are required")
	}
	if r.Kind == "" {
		errs = append(errs, "kind is required")
	}
	if len(errs) > 0 {
		return fmt.Errorf("rule %q: %s", r.ID, strings.Join(errs, "; "))
	}
	return nil
}

// Registry is the set of every rule dockward has.
type Registry struct {
	rules  []*Rule
	byName map[string]*Rule
}

// NewRegistry builds a registry and rejects duplicate IDs or slugs and
// incomplete metadata.
func NewRegistry(rules ...*Rule) (*Registry, error) {
	reg := &Registry{byName: make(map[string]*Rule)}
	for _, r := range rules {
		if err := r.validate(); err != nil {
			return nil, err
		}
		for _, name := range []string{r.ID, r.Slug} {
			if prev, dup := reg.byName[strings.ToLower(name)]; dup {
				return nil, fmt.Errorf("rule %s: name %q already used by %s", r.ID, name, prev.ID)
			}
			reg.byName[strings.ToLower(name)] = r
		}
		reg.rules = append(reg.rules, r)
	}
	slices.SortFunc(reg.rules, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return reg, nil
}

// All returns every rule sorted by ID.
func (reg *Registry) All() []*Rule { return reg.rules }

// Lookup finds a rule by ID or slug, ignoring case.
func (reg *Registry) Lookup(name string) (*Rule, bool) {
	r, ok := reg.byName[strings.ToLower(strings.TrimSpace(name))]
	return r, ok
}
