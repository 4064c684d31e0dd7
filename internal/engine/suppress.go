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

	st := &applyState{directives: directives, used: make([]map[string]bool, len(directives)),
		file: file, cfg: cfg, now: now}
	if file != nil && !file.Binary {
		st.lines = &lineIndex{file: file}
	}
	out := make([]finding.Finding, 0, len(fs))
	for _, f := range fs {
		if e.applyOne(&f, st) {
			out = append(out, f)
		}
	}
	for _, f := range e.unusedDirectives(directives, st.used, out, file) {
		if e.applyOne(&f, st) {
			out = append(out, f)
		}
	}
	return out
}

// applyState is the state Apply carries from one finding of a file to the
// next: the directives, what they suppressed, and the configuration.
type applyState struct {
	directives []rule.Directive
	// used records, per directive, the IDs of the rules it suppressed.
	used  []map[string]bool
	file  *File
	cfg   *config.Config
	now   time.Time
	lines *lineIndex
}

// applyOne applies the configuration and the directives to one finding,
// noting which directive suppressed which rule. It returns false when the
// configuration disables the rule.
func (e *Engine) applyOne(f *finding.Finding, st *applyState) bool {
	r, known := e.registry.Lookup(f.RuleID)
	slug := ""
	if known {
		slug = r.Slug
	}
	if s, ok := st.cfg.Lookup(f.RuleID, slug); ok {
		if s.Disabled {
			return false
		}
		if s.Severity != nil {
			f.Severity = *s.Severity
		}
	}
	f.ContentHash = st.lines.contentHash(f.Location)
	if known && !f.Suppressed {
		suppressInline(f, r, st.directives, st.used, st.file)
	}
	if !f.Suppressed && st.file != nil {
		if entry, ok := st.cfg.IgnoredBy(st.file.Rel, f.RuleID, slug, st.now); ok {
			f.Suppressed = true
			f.Suppress = &finding.Suppression{Kind: "config", Reason: entry.Reason,
				Source: entry.Source(st.cfg.Path)}
		}
	}
	return true
}

// maxHashedLines bounds the lines of one finding that contentHash reads,
// so a finding that spans a whole file costs no more than a statement.
const maxHashedLines = 20

// lineIndex holds the offsets where the lines of a file start, built on
// first use, so hashing the lines of many findings reads the file once.
type lineIndex struct {
	file   *File
	starts []int
}

// contentHash hashes the text of the lines a finding points at, with runs
// of whitespace collapsed so that re-indenting keeps the hash. It returns
// "" for findings in other files, without a line, or past the end.
func (li *lineIndex) contentHash(loc finding.Location) string {
	if li == nil || loc.Path != li.file.Path || loc.StartLine <= 0 {
		return ""
	}
	if li.starts == nil {
		li.starts = []int{0}
		for i, b := range li.file.Data {
			if b == '\n' {
				li.starts = append(li.starts, i+1)
			}
		}
	}
	if loc.StartLine > len(li.starts) {
		return ""
	}
	end := min(max(loc.EndLine, loc.StartLine), loc.StartLine+maxHashedLines-1, len(li.starts))
	stop := len(li.file.Data)
	if end < len(li.starts) {
		stop = li.starts[end]
	}
	h := sha256.New()
	for text := range bytes.Lines(li.file.Data[li.starts[loc.StartLine-1]:stop]) {
		for i, field := range bytes.Fields(text) {
			if i > 0 {
				h.Write([]byte{' '})
			}
			h.Write(field)
		}
		h.Write([]byte{'\n'})
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
