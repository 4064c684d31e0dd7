package rule

import (
	"bytes"
	"regexp"
	"strings"
)

// Directive is one inline suppression:
//
//	# dockward:ignore DF004 base image is pinned by the release pipeline
//	# dockward:ignore=DF004 the hadolint-style spelling is accepted too
//	<!-- dockward:ignore RT002 needed for the device plugin -->
//
// A directive on a line of its own applies to the next line that is neither
// blank nor a comment; one that follows code on the same line applies to
// that line. The opening line of a fenced code block (``` or ~~~) is
// skipped too, so an HTML comment above a Markdown fence applies to the
// first line of code inside it. When the target line ends in a colon and
// opens an indented block, as a YAML key such as volumes: does, the
// directive covers the whole block.
type Directive struct {
	Line   int // line of the comment
	Target int // line the directive applies to; 0 when none follows
	// TargetEnd is the last line of the block that Target opens, or
	// Target itself when it opens none.
	TargetEnd int
	Rules     []string // IDs or slugs as written
	Reason    string
}

// Covers reports whether a finding at line, or in a statement or block
// that starts at anchor, falls under the directive.
func (d *Directive) Covers(line, anchor int) bool {
	if d.Target == 0 {
		return false
	}
	return anchor == d.Target || line >= d.Target && line <= max(d.TargetEnd, d.Target)
}

var ruleToken = regexp.MustCompile(`^([A-Za-z]{2}[0-9]{3}|[a-z0-9]+(?:-[a-z0-9]+)+)$`)

// codeFence matches the opening or closing line of a Markdown fenced code
// block, which may be indented by up to three spaces.
var codeFence = regexp.MustCompile("^ {0,3}(?:```|~~~)")

// blockKey matches a line that ends in a colon with no value after it,
// such as a YAML key whose value is the indented block below it. An item
// (- volumes:) and a trailing comment are allowed.
var blockKey = regexp.MustCompile(`^\s*(?:- +)?[^\s#][^#]*:\s*(?:#.*)?$`)

// ParseDirectives finds the suppression directives in a file. Comments
// start with "#" (Dockerfile, shell, YAML, Makefile) or "<!--" (Markdown).
func ParseDirectives(data []byte) []Directive {
	if !bytes.Contains(data, []byte("dockward:ignore")) {
		return nil
	}
	var (
		out     []Directive
		pending []int // indexes of directives waiting for their target
	)
	lines := strings.Split(string(data), "\n")
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimRight(raw, "\r")
		trimmed := strings.TrimSpace(line)
		comment, ownLine := commentText(line)
		if comment != "" {
			if d, ok := parseDirective(comment); ok {
				d.Line = n
				if ownLine {
					pending = append(pending, len(out))
				} else {
					d.Target, d.TargetEnd = n, n
				}
				out = append(out, d)
				continue
			}
		}
		if trimmed == "" || ownLine || len(pending) > 0 && codeFence.MatchString(line) {
			continue
		}
		end := blockEnd(lines, i)
		for _, k := range pending {
			out[k].Target, out[k].TargetEnd = n, end
		}
		pending = pending[:0]
	}
	return out
}

// blockEnd returns the 1-based last line of the indented block that the
// line at index i opens when it is a key without a value, and i+1, the
// line itself, otherwise. Blank and comment lines inside the block belong
// to it; trailing ones do not. A sequence written at the key's own indent
// (key: then - item) belongs to the block, as YAML allows.
func blockEnd(lines []string, i int) int {
	if !blockKey.MatchString(strings.TrimRight(lines[i], "\r")) {
		return i + 1
	}
	keyIndent := indentOf(lines[i])
	itemKey := strings.HasPrefix(strings.TrimSpace(lines[i]), "- ")
	end := i + 1
	for j := i + 1; j < len(lines); j++ {
		t := strings.TrimSpace(strings.TrimRight(lines[j], "\r"))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		ind := indentOf(lines[j])
		if ind > keyIndent || ind == keyIndent && !itemKey && strings.HasPrefix(t, "- ") {
			end = j + 1
			continue
		}
		break
	}
	return end
}

// indentOf counts the leading spaces and tabs of a line.
func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " \t"))
}

// commentText returns the comment on a line and whether the line holds
// nothing but the comment.
func commentText(line string) (string, bool) {
	t := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(t, "#"):
		return t[1:], true
	case strings.HasPrefix(t, "<!--"):
		return strings.TrimSuffix(strings.TrimSpace(t[4:]), "-->"), true
	}
	if i := strings.Index(line, "# dockward:ignore"); i > 0 {
		return line[i+1:], false
	}
	if i := strings.Index(line, "<!-- dockward:ignore"); i > 0 {
		return strings.TrimSuffix(strings.TrimSpace(line[i+4:]), "-->"), false
	}
	return "", false
}

func parseDirective(comment string) (Directive, bool) {
	c := strings.TrimSpace(comment)
	if !strings.HasPrefix(c, "dockward:ignore") {
		return Directive{}, false
	}
	c = strings.TrimPrefix(c[len("dockward:ignore"):], "=") // hadolint's ignore=ID spelling
	c = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c), "-->"))
	var d Directive
	fields := strings.Fields(strings.ReplaceAll(c, ",", ", "))
	i := 0
	for ; i < len(fields); i++ {
		tok := strings.TrimSuffix(fields[i], ",")
		if tok == "" {
			continue
		}
		if !ruleToken.MatchString(tok) {
			break
		}
		d.Rules = append(d.Rules, tok)
	}
	d.Reason = strings.TrimSpace(strings.Join(fields[i:], " "))
	return d, true
}

// Matches reports whether the directive names the rule, by ID or slug.
func (d *Directive) Matches(r *Rule) bool {
	for _, name := range d.Rules {
		if strings.EqualFold(name, r.ID) || strings.EqualFold(name, r.Slug) {
			return true
		}
	}
	return false
}
