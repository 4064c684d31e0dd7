package secrets_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dockward/dockward/internal/secrets"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// fuzzSeeds adds every planted file and a few edge cases to a fuzz
// corpus. The planted files are generated, so no testdata file holds a
// value that secret scanners would flag.
func fuzzSeeds(f *testing.F) {
	for _, p := range secrettest.Plants(1) {
		f.Add([]byte(p.Content))
	}
	for _, s := range []string{"", "\x00", "password=", "token: ${X}", "-----BEGIN PRIVATE KEY-----",
		"postgres://a:b@", "ghp_", strings.Repeat("a", 70000) + "password = x1y2z3w4v5"} {
		f.Add([]byte(s))
	}
}

func FuzzScan(f *testing.F) {
	fuzzSeeds(f)
	sc := secrets.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range sc.Scan("fuzz.txt", data) {
			if m.Start < 0 || m.End > len(data) || m.Start >= m.End {
				t.Fatalf("match %s has range [%d, %d) outside %d bytes", m.RuleID, m.Start, m.End, len(data))
			}
			value := string(data[m.Start:m.End])
			if m.Redacted == value {
				t.Fatalf("match %s is not redacted", m.RuleID)
			}
			if m.Line < 1 || m.Column < 1 || m.EndLine < m.Line {
				t.Fatalf("match %s has position %d:%d-%d:%d", m.RuleID, m.Line, m.Column, m.EndLine, m.EndColumn)
			}
			if got := bytes.Count(data[:m.Start], []byte("\n")) + 1; got != m.Line {
				t.Fatalf("match %s on line %d, want %d", m.RuleID, m.Line, got)
			}
		}
	})
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "a", "hunter2", "0123456789abcdef", "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
		"пароль-пароль-пароль", "line1\nline2", "\xff\xfe\xfd",
		"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=", "\n-----BEGIN RSA PRIVATE KEY-----\nMIIE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := secrets.Redact(s)
		if s == "" {
			if got != "" {
				t.Fatalf("Redact(\"\") = %q", got)
			}
			return
		}
		if got == s && s != secrets.Mask {
			t.Fatalf("Redact returned its input %q", s)
		}
		if strings.HasSuffix(got, "private key") || strings.HasSuffix(got, "private key block") {
			// A private key's type label, which must come from its BEGIN
			// line alone and never from the key material after it.
			first, _, _ := strings.Cut(strings.TrimLeft(s, "\t\n\f\r "), "\n")
			if secrets.Redact(first) != got {
				t.Fatalf("Redact(%q) = %q is not the label of its BEGIN line", s, got)
			}
			return
		}
		kept := utf8.RuneCountInString(strings.ReplaceAll(strings.ReplaceAll(got, secrets.Mask, ""), "…", ""))
		if kept > 8 {
			t.Fatalf("Redact(%q) = %q keeps %d characters", s, got, kept)
		}
		if utf8.RuneCountInString(s) >= 8 && kept*2 > utf8.RuneCountInString(s) {
			t.Fatalf("Redact(%q) = %q keeps half of the value", s, got)
		}
	})
}

func FuzzClassify(f *testing.F) {
	f.Add("DB_PASSWORD", "hunter2")
	f.Add("GITHUB_TOKEN", "ghp_0123456789abcdefghijABCDEFGHIJ000000")
	f.Add("PATH", "/usr/bin")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, name, value string) {
		m, ok := secrets.Classify(name, value)
		if !ok {
			return
		}
		if m.RuleID == "" || m.Detector == "" {
			t.Fatalf("match without rule or detector: %+v", m)
		}
		v := strings.Trim(strings.TrimSpace(value), `"'`)
		if len(v) >= 4 && strings.Contains(m.Redacted, v) {
			t.Fatalf("Classify(%q, %q) redaction %q holds the value", name, value, m.Redacted)
		}
	})
}
