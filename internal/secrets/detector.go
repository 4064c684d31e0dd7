package secrets

import (
	"regexp"
	"strings"

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

// Anchor is the position, relative to a keyword found by the prefilter,
// where a detector's pattern must start. Anchored patterns run once per keyword
// occurrence and fail within a few bytes when the text does not match,
// which keeps common keywords such as "token" or "https://" cheap.
type Anchor int

const (
	// AnchorNone runs the pattern over the scope (line or file).
	AnchorNone Anchor = iota
	// AnchorKeyword starts the pattern at the keyword, which must not
	// follow a letter, digit or underscore: token prefixes such as ghp_.
	AnchorKeyword
	// AnchorName starts the pattern at the beginning of the identifier
	// that contains the keyword, as in DB_PASSWORD = value.
	AnchorName
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
	// Anchor applies to ScopeLine detectors.
	Anchor Anchor
	// Value, for AnchorName detectors, is the pattern the whole assigned
	// value must match, such as 40 base64 characters.
	Value *regexp.Regexp
	// Follows, when set, is a cheap test of the rest of the line after an
	// anchored detector's keyword; the pattern runs only when it passes.
	Follows func(rest []byte) bool
	// Validate rejects candidates whose structure is wrong: a checksum, a
	// length, a decoding. It may return a note for the message. Nil
	// accepts every candidate.
	Validate func(value string) (note string, ok bool)
	// MinEntropy is the least Shannon entropy, in bits per character, a
	// value needs; zero disables the check.
	MinEntropy float64
	// Binary makes the detector run on binary files too.
	Binary bool
	// Prefix matches the documented start of the format that identifies
	// it publicly, such as ghp_ or AKIA. Reports show that much of a
	// value and mask the rest. It is nil for values with no such prefix,
	// such as passwords and base64 keys, which reports mask entirely.
	Prefix *regexp.Regexp
	// Generic marks detectors that rely on a name beside the value
	// instead of a format of their own; Classify uses them last.
	Generic bool

	// Format describes the value in words, for the rule's documentation.
	Format string
	// Example is an illustration of the value for the documentation. It
	// is not a working secret and usually not even a valid one.
	Example string

	secretGroup int
	nameGroup   int
	anchored    *regexp.Regexp
}

func (d *Detector) init() {
	d.secretGroup = d.Pattern.SubexpIndex("secret")
	d.nameGroup = d.Pattern.SubexpIndex("name")
	if d.Anchor != AnchorNone {
		src := d.Pattern.String()
		flags := ""
		if rest, ok := strings.CutPrefix(src, "(?i)"); ok {
			flags, src = "(?i)", rest
		}
		src = strings.TrimPrefix(src, `\b`)
		d.anchored = regexp.MustCompile("^" + flags + "(?:" + src + ")")
	}
}

// redact hides a value this detector matched. A private key becomes its
// type. Otherwise only the public prefix stays, because every other
// character is part of the secret. A few characters of a short password
// are a large share of it, and the tail of a token narrows its random part.
func (d *Detector) redact(value string) string {
	if label, ok := privateKeyLabel(value); ok {
		return label
	}
	if d.Prefix == nil || d.Generic {
		return Mask
	}
	return d.Prefix.FindString(value) + Mask
}
