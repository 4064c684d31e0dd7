// Package vulndb keeps a local database of vulnerability advisories and
// matches a package inventory against it. Advisories come in OSV form
// (the schema of osv.dev, the Go vulnerability database, GitHub and the
// distribution feeds) or as Alpine secdb files. They are stored in a bbolt
// file indexed by ecosystem and package name. Matching compares versions
// exactly as each ecosystem defines it (see the version subpackage) and
// turns each hit into a finding whose rule ID is the advisory ID.
package vulndb

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// OSV is the subset of an OSV record that matching and reporting use.
type OSV struct {
	SchemaVersion string      `json:"schema_version"`
	ID            string      `json:"id"`
	Modified      time.Time   `json:"modified"`
	Published     time.Time   `json:"published"`
	Withdrawn     *time.Time  `json:"withdrawn"`
	Aliases       []string    `json:"aliases"`
	Summary       string      `json:"summary"`
	Details       string      `json:"details"`
	Severity      []Severity  `json:"severity"`
	Affected      []Affected  `json:"affected"`
	References    []Reference `json:"references"`
	// DatabaseSpecific may carry the source's own rating as "severity".
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

// Severity is one OSV severity entry: a CVSS vector or a source rating.
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected is one package an advisory affects, with its version ranges.
type Affected struct {
	Package           OSVPackage      `json:"package"`
	Severity          []Severity      `json:"severity"`
	Ranges            []Range         `json:"ranges"`
	Versions          []string        `json:"versions"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific"`
	DatabaseSpecific  json.RawMessage `json:"database_specific"`
}

// OSVPackage names a package in an ecosystem.
type OSVPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl"`
}

// Range is an OSV range: a type (ECOSYSTEM, SEMVER or GIT) and events.
type Range struct {
	Type   string  `json:"type"`
	Events []Event `json:"events"`
}

// Event is one OSV range event; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a link from an advisory.
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// ErrMalformed is wrapped by errors for records that are valid JSON but
// not usable OSV.
var ErrMalformed = errors.New("malformed OSV record")

// DecodeOSV decodes one OSV record and checks the fields matching relies
// on: an ID, package names and well-formed range events.
func DecodeOSV(data []byte) (*OSV, error) {
	var r OSV
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding OSV JSON: %w", err)
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

func (r *OSV) validate() error {
	if strings.TrimSpace(r.ID) == "" {
		return fmt.Errorf("%w: missing id", ErrMalformed)
	}
	for i, a := range r.Affected {
		if a.Package.Name == "" || a.Package.Ecosystem == "" {
			return fmt.Errorf("%w %s: affected[%d] has no package name or ecosystem", ErrMalformed, r.ID, i)
		}
		for j, rg := range a.Ranges {
			if err := rg.validate(); err != nil {
				return fmt.Errorf("%w %s: affected[%d].ranges[%d]: %v", ErrMalformed, r.ID, i, j, err)
			}
		}
	}
	return nil
}

// validate checks an ECOSYSTEM or SEMVER range. GIT ranges name commits,
// which an installed package does not carry, so they are not checked.
func (rg Range) validate() error {
	switch rg.Type {
	case "ECOSYSTEM", "SEMVER":
	case "GIT":
		return nil
	default:
		return fmt.Errorf("unknown range type %q", rg.Type)
	}
	introduced := false
	for k, e := range rg.Events {
		n := 0
		for _, v := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
			if v != "" {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("event %d must set exactly one of introduced, fixed, last_affected, limit", k)
		}
		if e.Introduced != "" {
			introduced = true
		}
	}
	if !introduced {
		return errors.New("no introduced event")
	}
	return nil
}

// ImportSymbols is one entry of the Go vulnerability database's
// ecosystem_specific.imports: a package path and its vulnerable symbols.
type ImportSymbols struct {
	Path    string   `json:"path"`
	Symbols []string `json:"symbols,omitempty"`
	// GOOS and GOARCH limit the advisory to binaries built for these
	// systems and architectures; empty means all.
	GOOS   []string `json:"goos,omitempty"`
	GOARCH []string `json:"goarch,omitempty"`
}

// goImports reads ecosystem_specific.imports of a Go advisory.
func goImports(raw json.RawMessage) []ImportSymbols {
	if len(raw) == 0 {
		return nil
	}
	var es struct {
		Imports []ImportSymbols `json:"imports"`
	}
	if json.Unmarshal(raw, &es) != nil {
		return nil
	}
	return es.Imports
}

// sourceRating reads a textual severity from a database_specific or
// ecosystem_specific object, as GitHub ("severity": "MODERATE"), Debian
// ("urgency") and Ubuntu publish it.
func sourceRating(raws ...json.RawMessage) string {
	for _, raw := range raws {
		if len(raw) == 0 {
			continue
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		for _, key := range []string{"severity", "urgency"} {
			var s string
			if json.Unmarshal(m[key], &s) == nil && s != "" {
				return s
			}
		}
	}
	return ""
}
