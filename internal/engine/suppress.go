package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/rules/meta"
)

// Apply runs the configuration and the file's inline directives over the
// findings of one file: disabled rules are dropped, severities overridden,
// and suppressed findings marked with their reason. file may be nil for
// findings that do not come from a file, such as those of an image.
func (e *Engine) Apply(fs []finding.Finding, file *File, cfg *config.Config, now time.Time) []finding.Finding {
	if cfg == nil {
		cfg = config.Default()
	}
	var directives []rule.Directive
	if file != nil && !file.Binary {
		directives = rule.ParseDirectives(file.Data)
		fs = append(fs, e.checkDirectives(directives, file)...)
	}

	out := fs[:0]
	for _, f := range fs {
		r, known := e.registry.Lookup(f.RuleID)
		slug := ""
		if known {
			slug = r.Slug
		}
		if s, ok := cfg.Lookup(f.RuleID, slug); ok {
			if s.Disabled {
				continue
			}
			if s.Severity != nil {
				f.Severity = *s.Severity
			}
		}
		if file != nil && !file.Binary {
			f.ContentHash = contentHash(file, f.Location)
		}
		if known && !f.Suppressed {
			suppressInline(&f, r, directives, file)
		}
		if !f.Suppressed && file != nil {
			if entry, ok := cfg.IgnoredBy(file.Rel, f.RuleID, slug, now); ok {
				f.Suppressed = true
				f.Suppress = &finding.Suppression{Kind: "config", Reason: entry.Reason,
					Source: entry.Source(cfg.Path)}
			}
		}
		out = append(out, f)
	}
	return out
}

// maxHashedLines bounds the lines of one finding that contentHash reads,
// so a finding that spans a whole file costs no more than a statement.
const maxHashedLines = 20

// contentHash hashes the text of the lines a finding in file points at,
// with runs of whitespace collapsed so that re-indenting keeps the hash.
// It returns "" for findings in other files or without a line.
func contentHash(file *File, loc finding.Location) string {
	if loc.Path != file.Path || loc.StartLine <= 0 {
		return ""
	}
	end := max(loc.EndLine, loc.StartLine)
	end = min(end, loc.StartLine+maxHashedLines-1)
	h := sha256.New()
	line := 1
	for text := range bytes.Lines(file.Data) {
		if line > end {
			break
		}
		if line >= loc.StartLine {
			for i, field := range bytes.Fields(text) {
				if i > 0 {
					h.Write([]byte{' '})
				}
				h.Write(field)
			}
			h.Write([]byte{'\n'})
		}
		line++
	}
	if line <= loc.StartLine {
		return "" // the line is past the end of the file
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func suppressInline(f *finding.Finding, r *rule.Rule, ds []rule.Directive, file *File) {
	for _, d := range ds {
		if d.Target == 0 || !d.Matches(r) {
			continue
		}
		if d.Target != f.Anchor() && d.Target != f.Location.StartLine {
			continue
		}
		f.Suppressed = true
		f.Suppress = &finding.Suppression{Kind: "inline", Reason: d.Reason,
			Source: fmt.Sprintf("%s:%d", file.Path, d.Line)}
		return
	}
}

// checkDirectives reports directives without a reason, with unknown rule
// names, or with nothing to apply to.
func (e *Engine) checkDirectives(ds []rule.Directive, file *File) []finding.Finding {
	var out []finding.Finding
	for _, d := range ds {
		loc := finding.Location{Path: file.Path, StartLine: d.Line, StartColumn: 1, EndLine: d.Line}
		if len(d.Rules) == 0 {
			out = append(out, meta.UnknownRule.New(loc,
				"dockward:ignore names no rule; write the rule ID before the reason"))
			continue
		}
		var unknown []string
		for _, name := range d.Rules {
			if _, ok := e.registry.Lookup(name); !ok {
				unknown = append(unknown, name)
			}
		}
		if len(unknown) > 0 {
			out = append(out, meta.UnknownRule.New(loc, "dockward:ignore names unknown rule %s",
				strings.Join(unknown, ", ")))
		}
		if d.Reason == "" {
			out = append(out, meta.SuppressionWithoutReason.New(loc,
				"dockward:ignore %s gives no reason", strings.Join(d.Rules, ", ")))
		}
		if d.Target == 0 {
			out = append(out, meta.SuppressionWithoutTarget.New(loc,
				"dockward:ignore %s is followed by no line to apply to", strings.Join(d.Rules, ", ")))
		}
	}
	return out
}
