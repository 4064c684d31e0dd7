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
	"regexp"
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
	// Redacted is the value with only the documented prefix of its
	// format kept, such as ghp_****. It is Mask alone for formats without
	// such a prefix, such as passwords, and the type of a private key.
	Redacted string
	// Name is the key the value is assigned to, such as DB_PASSWORD, for
	// generic detectors that match a name beside the value. It is empty
	// for token formats.
	Name string

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
// to 31 characters, and four and four for longer ones. A PEM or OpenSSH
// private key becomes its type from the BEGIN line, such as "RSA private
// key". Other multi-line values are cut at the first line break. Redact
// never returns s itself unless s is empty or Mask.
//
// Findings do not use it: a detector's match keeps only the documented
// prefix of its format. For values known only by their name, such as a
// password, use Mask or RedactValue.
func Redact(s string) string {
	if s == "" {
		return ""
	}
	if label, ok := privateKeyLabel(s); ok {
		return label
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

// RedactValue redacts a value whose format is not known in advance, such
// as the content of a secret file. It returns the detector's redacted form
// when a token detector recognises all of s, because the kept prefix then
// names the token kind, and Mask otherwise, because a few characters of a
// short password are a large share of it.
func RedactValue(s string) string {
	if s == "" {
		return ""
	}
	if label, ok := privateKeyLabel(s); ok {
		return label
	}
	v := strings.TrimSpace(s)
	sc := Default()
	for _, m := range sc.Scan("", []byte(v)) {
		if d := sc.byID(m.RuleID); d != nil && !d.Generic && m.Start == 0 && m.End == len(v) {
			return m.Redacted
		}
	}
	return Mask
}

// pemBegin matches the BEGIN line of a PEM or OpenSSH private key, with
// the key type in the "type" group: empty for PKCS #8.
var pemBegin = regexp.MustCompile(`^\s*-----BEGIN (?P<type>(?:[A-Z0-9]+ ){0,2})PRIVATE KEY(?: BLOCK)?-----`)

// privateKeyLabel names the key in a PEM or OpenSSH private key block by
// its BEGIN line alone, such as "OpenSSH private key", so that no key
// material is shown.
func privateKeyLabel(s string) (string, bool) {
	m := pemBegin.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	kind := strings.TrimSpace(m[pemBegin.SubexpIndex("type")])
	label := "private key"
	if strings.HasSuffix(m[0], "BLOCK-----") {
		label = "private key block"
	}
	switch kind {
	case "":
		return "PKCS #8 " + label, true
	case "ENCRYPTED":
		return "encrypted PKCS #8 " + label, true
	case "OPENSSH":
		return "OpenSSH " + label, true
	case "RSA", "EC", "DSA", "PGP":
		return kind + " " + label, true
	}
	// Other words are not repeated, because the BEGIN line is text from
	// the scanned file and need not be a key type.
	return label, true
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
