package rule

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
)

// Directive is one inline suppression:
//
//	# dockward:ignore DF004 base image is pinned by the release pipeline
//	<!-- dockward:ignore RT002 needed for the device plugin -->
//
// A directive on a line of its own applies to the next line that is neither
// blank nor a comment; one that follows code on the same line applies to
// that line.
type Directive struct {
	Line   int      // line of the comment
	Target int      // line the directive applies to; 0 when none follows
	Rules  []string // IDs or slugs as written
	Reason string
}

var ruleToken = regexp.MustCompile(`^([A-Za-z]{2}[0-9]{3}|[a-z0-9]+(?:-[a-z0-9]+)+)$`)

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
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(line)
		comment, ownLine := commentText(line)
		if comment != "" {
			if d, ok := parseDirective(comment); ok {
				d.Line = n
				if ownLine {
					pending = append(pending, len(out))
				} else {
					d.Target = n
				}
				out = append(out, d)
				continue
			}
		}
		if trimmed == "" || ownLine {
			continue
		}
		for _, i := range pending {
			out[i].Target = n
		}
		pending = pending[:0]
	}
	return out
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
	c = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c[len("dockward:ignore"):]), "-->"))
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
