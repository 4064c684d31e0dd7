// Package finding defines the result model that every dockward analyzer
// produces and every report formatter consumes: findings with a rule, a
// severity and a location, and problems for inputs that could not be read.
package finding

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// SchemaVersion is the version of the JSON report schema. Fields are only
// ever added within one version; removing or renaming one bumps it.
const SchemaVersion = "1"

// Severity ranks how much a finding matters. The zero value is Unknown.
type Severity int

// Severities from least to most severe. Unknown is for advisories that carry
// no rating; it sorts below Info.
const (
	Unknown Severity = iota
	Info
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"unknown", "info", "low", "medium", "high", "critical"}

// Severities lists every severity from most to least severe.
func Severities() []Severity {
	return []Severity{Critical, High, Medium, Low, Info, Unknown}
}

// String returns the lower-case name used in reports and flags.
func (s Severity) String() string {
	if s < Unknown || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name, ignoring case.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return Unknown, fmt.Errorf("invalid severity %q: use one of critical, high, medium, low, info, unknown", name)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Location is the place of a finding: a range in a file, a path inside
// an image, or both. Lines and columns are 1-based; zero means unknown.
type Location struct {
	Path        string `json:"path"`
	StartLine   int    `json:"start_line"`
	StartColumn int    `json:"start_column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column,omitempty"`

	// Image fields are set for findings inside an image.
	Image      string `json:"image,omitempty"`
	Layer      string `json:"layer,omitempty"`
	LayerIndex *int   `json:"layer_index,omitempty"`
	ImagePath  string `json:"image_path,omitempty"`
}

// Reference points to a source that backs a rule, such as a CIS Docker
// Benchmark item or the rule's documentation page.
type Reference struct {
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// Suppression records why a finding is suppressed.
type Suppression struct {
	// Kind is "inline" for a dockward:ignore comment and "config" for the
	// configuration file.
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
	// Source is the place the suppression was written, as path:line.
	Source string `json:"source,omitempty"`
}

// Finding is one result of one rule on one location.
type Finding struct {
	RuleID     string       `json:"rule_id"`
	Severity   Severity     `json:"severity"`
	Title      string       `json:"title"`
	Message    string       `json:"message"`
	Location   Location     `json:"location"`
	Fix        string       `json:"fix"`
	References []Reference  `json:"references"`
	Suppressed bool         `json:"suppressed"`
	Suppress   *Suppression `json:"suppression,omitempty"`

	// Extra holds analyzer-specific detail under a named key, such as
	// "vulnerability". Keys are documented in docs/json-schema.md.
	Extra map[string]json.RawMessage `json:"-"`

	// AnchorLine is the first line of the statement or block the finding
	// belongs to (a multi-line RUN, a compose service). An inline
	// suppression written above it applies. Zero means StartLine.
	AnchorLine int `json:"-"`

	// ContentHash is a hash of the text of the flagged lines with runs of
	// whitespace collapsed, set by the engine for findings in a file it
	// read. SARIF fingerprints use it, so a finding keeps its identity when
	// lines move. Empty when the text is not known.
	ContentHash string `json:"-"`
}

// MarshalJSON writes the finding with its Extra keys inlined.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	if f.References == nil {
		f.References = []Reference{}
	}
	b, err := json.Marshal(plain(f))
	if err != nil || len(f.Extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range f.Extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// SetExtra stores v, encoded as JSON, under key in f.Extra.
func (f *Finding) SetExtra(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s of finding %s: %w", key, f.RuleID, err)
	}
	if f.Extra == nil {
		f.Extra = make(map[string]json.RawMessage)
	}
	f.Extra[key] = b
	return nil
}

// Anchor returns the line an inline suppression must sit above.
func (f *Finding) Anchor() int {
	if f.AnchorLine > 0 {
		return f.AnchorLine
	}
	return f.Location.StartLine
}

// Problem is an input that could not be read, decoded or followed. A
// problem never stops the rest of a run.
type Problem struct {
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
	// Kind groups problems: "read", "decode", "skipped", "config".
	Kind string `json:"kind,omitempty"`
	// Fatal marks a problem with an input the user named, which then could
	// not be checked at all; commands exit with status 2 for it.
	Fatal bool `json:"-"`
}

// Compare orders findings by path, line, column, rule and message, which
// is the order of every report.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Location.Path, b.Location.Path),
		cmp.Compare(a.Location.Image, b.Location.Image),
		cmp.Compare(a.Location.ImagePath, b.Location.ImagePath),
		cmp.Compare(a.Location.StartLine, b.Location.StartLine),
		cmp.Compare(a.Location.StartColumn, b.Location.StartColumn),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort orders findings with Compare and problems by path and line.
func Sort(fs []Finding, ps []Problem) {
	slices.SortStableFunc(fs, Compare)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Reason, b.Reason))
	})
}

// Dedupe removes findings that repeat an earlier one in rule, location and
// message, as when a walked profile is also linted through a reference to
// it. fs must be sorted with Compare.
func Dedupe(fs []Finding) []Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			prev := out[len(out)-1]
			if prev.RuleID == f.RuleID && prev.Message == f.Message && sameLocation(prev.Location, f.Location) {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func sameLocation(a, b Location) bool {
	layerA, layerB := -1, -1
	if a.LayerIndex != nil {
		layerA = *a.LayerIndex
	}
	if b.LayerIndex != nil {
		layerB = *b.LayerIndex
	}
	a.LayerIndex, b.LayerIndex = nil, nil
	return a == b && layerA == layerB
}
