package secrets

import (
	"regexp"

	"github.com/dockward/dockward/internal/finding"
)

// Scope is how much text a detector's pattern runs over once one of its
// keywords is found.
type Scope int

const (
	// ScopeLine runs the pattern over each line that holds a keyword.
	ScopeLine Scope = iota
	// ScopeFile runs the pattern over the whole text, for values that span
	// lines (private keys) or need context elsewhere in the file.
	ScopeFile
)

// Detector is one row of the detector table: a kind of secret, the
// keywords that must appear before its pattern runs, and the checks a
// candidate value must pass.
type Detector struct {
	// ID is the rule ID that reports the detector's matches, such as
	// "SE008"; Slug is the rule's kebab-case name.
	ID, Slug string
	// Name is the detector's name in messages, such as "GitHub personal
	// access token".
	Name     string
	Severity finding.Severity
	// Keywords are lower-case strings, one of which must occur in the text
	// (compared without case) for the pattern to run.
	Keywords []string
	// Require lists further lower-case strings that must all occur
	// somewhere in the text, such as "service_account" for a Google key.
	Require []string
	// Pattern finds candidates. A group named "secret" marks the value;
	// without one the whole match is the value.
	Pattern *regexp.Regexp
	Scope   Scope
	// Validate rejects candidates whose structure is wrong: a checksum, a
	// length, a decoding. It may return a note for the message. Nil
	// accepts every candidate.
	Validate func(value string) (note string, ok bool)
	// MinEntropy is the least Shannon entropy, in bits per character, a
	// value needs; zero disables the check.
	MinEntropy float64
	// Binary makes the detector run on binary files too.
	Binary bool
	// Generic marks detectors that rely on a name beside the value
	// instead of a format of their own; Classify uses them last.
	Generic bool

	// Format describes the value in words, for the rule's documentation.
	Format string
	// Example is an illustration of the value for the documentation. It
	// is not a working secret and usually not even a valid one.
	Example string

	secretGroup int
}

func (d *Detector) init() {
	d.secretGroup = d.Pattern.SubexpIndex("secret")
}

// find returns the value's [start, end) within text for each candidate.
func (d *Detector) find(text []byte) [][2]int {
	var spans [][2]int
	for _, m := range d.Pattern.FindAllSubmatchIndex(text, -1) {
		g := 0
		if d.secretGroup > 0 {
			g = d.secretGroup
		}
		if m[2*g] < 0 {
			continue
		}
		spans = append(spans, [2]int{m[2*g], m[2*g+1]})
	}
	return spans
}
