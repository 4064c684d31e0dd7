// Package secrets finds credentials in text and names them without ever
// returning their values. It holds the detector table, the keyword
// prefilter that decides which detectors run, the allow-lists, and Redact,
// the one helper that turns a secret into something safe to print.
//
// Structural rules that already know a name and a value (a Dockerfile ENV,
// a compose environment entry, an image label) call Classify and put the
// detector's name into their own finding. File contents go through a
// Scanner, whose matches the SE rules report.
package secrets

import (
	"strings"
	"unicode/utf8"
)

// Match is one secret found by a detector. It carries where the secret is
// and which detector found it, never the value itself.
type Match struct {
	// RuleID is the ID of the detector's rule, such as "SE008".
	RuleID string
	// Detector is the detector's human-readable name, such as "GitHub
	// personal access token".
	Detector string
	// Redacted is the value passed through Redact.
	Redacted string

	// Start and End are byte offsets of the value in the scanned text.
	// Line, Column, EndLine and EndColumn are 1-based positions of the
	// same range. All are zero for matches returned by Classify.
	Start, End                       int
	Line, Column, EndLine, EndColumn int

	// Note adds detail to a finding's message, such as "paired with AWS
	// access key ID AKIA…" or "encrypted"; it never contains a value.
	Note string
}

// Mask replaces the hidden part of a redacted value.
const Mask = "****"

// Redact returns s with at most its first and last few characters kept:
// none for values shorter than 16 characters, three and two for values up
// to 31 characters, and four and four for longer ones. Multi-line values
// are cut at the first line break, so a private key shows only its armour.
// Redact never returns s itself unless s is empty.
func Redact(s string) string {
	if s == "" {
		return ""
	}
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return Redact(s[:i]) + "…"
	}
	n := utf8.RuneCountInString(s)
	var head, tail int
	switch {
	case n < 16:
		return Mask
	case n < 32:
		head, tail = 3, 2
	default:
		head, tail = 4, 4
	}
	runes := []rune(s)
	return string(runes[:head]) + Mask + string(runes[n-tail:])
}

// Classify reports whether a name-value pair, such as a Dockerfile ARG or
// ENV, a compose or Kubernetes environment entry, or an image label,
// holds a secret, and which detector says so. It checks the value against
// every token detector first, then the name against the names that
// usually hold passwords, keys and tokens. References (${VAR}, $VAR),
// placeholders (changeme, <password>), file paths for *_FILE variables,
// and the documented example keys are not secrets.
func Classify(name, value string) (Match, bool) {
	return Default().Classify(name, value)
}
