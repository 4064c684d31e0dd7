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
// and suppressed findings marked with their reason. Directives that are
// malformed or suppress nothing are reported as DW findings. file may be
// nil for findings that do not come from a file, such as those of an
// image.
func (e *Engine) Apply(fs []finding.Finding, file *File, cfg *config.Config, now time.Time) []finding.Finding {
	if cfg == nil {
		cfg = config.Default()
	}
	var directives []rule.Directive
	if file != nil && !file.Binary {
		directives = rule.ParseDirectives(file.Data)
		fs = append(fs, e.checkDirectives(directives, file)...)
	}

	used := make([]map[string]bool, len(directives))
	out := make([]finding.Finding, 0, len(fs))
	for _, f := range fs {
		if e.applyOne(&f, directives, used, file, cfg, now) {
			out = append(out, f)
		}
	}
	for _, f := range e.unusedDirectives(directives, used, out, file) {
		if e.applyOne(&f, directives, used, file, cfg, now) {
			out = append(out, f)
		}
	}
	return out
}

// applyOne applies the configuration and the directives to one finding,
// noting in used which directive suppressed which rule. It returns false
// when the configuration disables the rule.
func (e *Engine) applyOne(f *finding.Finding, ds []rule.Directive, used []map[string]bool, file *File,
	cfg *config.Config, now time.Time) bool {
	r, known := e.registry.Lookup(f.RuleID)
	slug := ""
	if known {
		slug = r.Slug
	}
	if s, ok := cfg.Lookup(f.RuleID, slug); ok {
		if s.Disabled {
			return false
		}
		if s.Severity != nil {
			f.Severity = *s.Severity
		}
	}
	if file != nil && !file.Binary {
		f.ContentHash = contentHash(file, f.Location)
	}
	if known && !f.Suppressed {
		suppressInline(f, r, ds, used, file)
	}
	if !f.Suppressed && file != nil {
		if entry, ok := cfg.IgnoredBy(file.Rel, f.RuleID, slug, now); ok {
			f.Suppressed = true
			f.Suppress = &finding.Suppression{Kind: "config", Reason: entry.Reason,
				Source: entry.Source(cfg.Path)}
		}
	}
	return true
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

func suppressInline(f *finding.Finding, r *rule.Rule, ds []rule.Directive, used []map[string]bool, file *File) {
	for i, d := range ds {
		if !d.Matches(r) || !d.Covers(f.Location.StartLine, f.Anchor()) {
			continue
		}
		f.Suppressed = true
		f.Suppress = &finding.Suppression{Kind: "inline", Reason: d.Reason,
			Source: fmt.Sprintf("%s:%d", file.Path, d.Line)}
		if used[i] == nil {
			used[i] = map[string]bool{}
		}
		used[i][r.ID] = true
		return
	}
}

// unusedDirectives reports, as DW003, the known rules of each directive
// that suppressed no finding. A rule counts only when the file has a
// finding of the same kind (runtime, Dockerfile, ...), which shows that
// the analyzers for that kind ran. dockward secrets, for one, runs no
// runtime rules, so an RT002 directive is not unused there.
// NOTE: so a directive in a file where its kind of rules found nothing
// at all is not reported.
func (e *Engine) unusedDirectives(ds []rule.Directive, used []map[string]bool, fs []finding.Finding,
	file *File) []finding.Finding {
	if len(ds) == 0 {
		return nil
	}
	ran := map[rule.Kind]bool{}
	for _, f := range fs {
		if r, ok := e.registry.Lookup(f.RuleID); ok && r.Kind != rule.KindMeta {
			ran[r.Kind] = true
		}
	}
	var out []finding.Finding
	for i, d := range ds {
		if d.Target == 0 {
			continue // reported by checkDirectives
		}
		var idle []string
		for _, name := range d.Rules {
			r, ok := e.registry.Lookup(name)
			if ok && r.Kind != rule.KindMeta && ran[r.Kind] && !used[i][r.ID] {
				idle = append(idle, name)
			}
		}
		if len(idle) == 0 {
			continue
		}
		where := fmt.Sprintf("line %d", d.Target)
		if d.TargetEnd > d.Target {
			where = fmt.Sprintf("lines %d-%d", d.Target, d.TargetEnd)
		}
		loc := finding.Location{Path: file.Path, StartLine: d.Line, StartColumn: 1, EndLine: d.Line}
		out = append(out, meta.SuppressionWithoutTarget.New(loc,
			"dockward:ignore %s matches no finding on %s, so it suppresses nothing",
			strings.Join(idle, ", "), where))
	}
	return out
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
