package apparmor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// MaxSize is the largest profile file the reader accepts.
const MaxSize = 10 << 20

// maxDepth bounds nested profiles and include chains.
const maxDepth = 32

// DefaultBase is the directory searched for includes in angle brackets.
const DefaultBase = "/etc/apparmor.d"

// ErrTooLarge is returned for a file over MaxSize.
var ErrTooLarge = errors.New("profile larger than 10 MiB")

// Options configure Parse.
type Options struct {
	// Base is the directory for <name> includes; empty means DefaultBase.
	// Set it to a directory that does not exist to resolve nothing.
	Base string
	// Dir is the directory for "name" includes, usually the profile's own.
	Dir string
	// IncludeDirs are searched in order for <name> includes before Base,
	// like the -I option of apparmor_parser.
	IncludeDirs []string
}

// SearchPath returns the directories searched for <name> includes, in
// order.
func (o Options) SearchPath() []string {
	base := o.Base
	if base == "" {
		base = DefaultBase
	}
	return append(slices.Clone(o.IncludeDirs), base)
}

// Parse reads profile text. Statements it cannot accept are listed in
// File.Errors; only an oversized input is an error.
func Parse(path string, data []byte, opts Options) (*File, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: split it into included files", ErrTooLarge)
	}
	if opts.Base == "" {
		opts.Base = DefaultBase
	}
	p := &parser{opts: opts, file: &File{Path: path, Variables: make(map[string][]string)}, seen: map[string]bool{}}
	p.parse(string(data), path, nil, 0)
	p.finish()
	p.checkVariables()
	return p.file, nil
}

type parser struct {
	opts Options
	file *File
	seen map[string]bool // include files already on the chain
	// loose holds rules written outside any profile.
	loose []*Rule
}

// checkVariables reports variables that file rules use but nothing
// declares. It reports nothing when an include was not found, because the
// missing file may declare them.
func (p *parser) checkVariables() {
	if p.unresolved() || len(p.file.Profiles) == 0 || p.file.Profiles[0].Abstraction {
		return
	}
	reported := make(map[string]bool)
	for _, top := range p.file.Profiles {
		for _, prof := range top.All() {
			for _, r := range prof.Rules {
				for _, m := range variablePattern.FindAllStringSubmatch(r.Path, -1) {
					name := m[1]
					if _, ok := p.file.Variables[name]; ok || reported[name] || r.Source != "" {
						continue
					}
					reported[name] = true
					p.fail(r.Line, p.file.Path, fmt.Sprintf("variable @{%s} is never declared: "+
						"include <tunables/global> or declare it", name))
				}
			}
		}
	}
}

// unresolved reports whether an include that must exist was not found.
func (p *parser) unresolved() bool {
	includes := append([]*Include(nil), p.file.Includes...)
	for _, top := range p.file.Profiles {
		for _, prof := range top.All() {
			includes = append(includes, prof.Includes...)
		}
	}
	for _, inc := range includes {
		if inc.Resolved == "" && !inc.IfExists {
			return true
		}
	}
	return false
}

// finish keeps rules outside profiles as an abstraction when the file has
// no profile, and reports them otherwise.
func (p *parser) finish() {
	if len(p.loose) == 0 {
		return
	}
	if len(p.file.Profiles) == 0 {
		p.file.Profiles = []*Profile{{Abstraction: true, Line: p.loose[0].Line, Rules: p.loose}}
		return
	}
	for _, r := range p.loose {
		p.fail(r.Line, p.file.Path, fmt.Sprintf("rule %q outside a profile", clip(r.Text)))
	}
}

// parse reads statements of one source into the current profile stack.
func (p *parser) parse(src, source string, into *Profile, depth int) {
	stack := []*Profile{}
	if into != nil {
		stack = append(stack, into)
	}
	base := len(stack)
	for _, s := range lex(src) {
		cur := (*Profile)(nil)
		if len(stack) > 0 {
			cur = stack[len(stack)-1]
		}
		switch s.kind {
		case stmtOpen:
			prof, ok := p.openBlock(s, cur, source)
			if len(stack) >= maxDepth {
				p.fail(s.line, source, "profiles nested more than 32 levels deep")
				return
			}
			if ok && cur == nil {
				p.file.Profiles = append(p.file.Profiles, prof)
			} else if ok {
				cur.Children = append(cur.Children, prof)
			}
			stack = append(stack, prof)
		case stmtClose:
			if len(stack) <= base {
				p.fail(s.line, source, "unexpected }: no block is open")
				continue
			}
			stack = stack[:len(stack)-1]
		case stmtTrailing:
			p.fail(s.line, source, fmt.Sprintf("%q is missing its trailing comma", clip(s.text)))
		case stmtLine:
			p.lineStatement(s, cur, source, depth)
		case stmtRule:
			p.ruleStatement(s, cur, source)
		}
	}
	if len(stack) > base {
		p.fail(stack[len(stack)-1].Line, source, "block is not closed: add }")
	}
}

func (p *parser) fail(line int, source, reason string) {
	if source != p.file.Path {
		reason = fmt.Sprintf("%s (in included file %s)", reason, source)
	}
	p.file.Errors = append(p.file.Errors, &Error{Line: line, Reason: reason})
}

var flagsPattern = regexp.MustCompile(`flags\s*=\s*\(([^)]*)\)`)

// openBlock reads a block header: a profile, a hat or a conditional.
func (p *parser) openBlock(s stmt, cur *Profile, source string) (*Profile, bool) {
	text := s.text
	prof := &Profile{Line: s.line}
	if m := flagsPattern.FindStringSubmatch(text); m != nil {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if !slices.Contains(profileFlags, f) {
				p.fail(s.line, source, fmt.Sprintf("invalid profile flag %q", f))
			}
			prof.Flags = append(prof.Flags, f)
		}
		text = strings.TrimSpace(strings.Replace(text, m[0], "", 1))
	}
	fields := splitWords(text)
	switch {
	case len(fields) == 0:
		p.fail(s.line, source, "block without a profile name")
		return prof, false
	case fields[0] == "if" || fields[0] == "else":
		// A conditional block: its rules belong to the enclosing profile.
		if cur == nil {
			return prof, false
		}
		return cur, false
	case fields[0] == "profile":
		if len(fields) < 2 {
			p.fail(s.line, source, "profile keyword without a name")
			return prof, false
		}
		prof.Name = unquote(fields[1])
		if len(fields) > 2 {
			prof.Attach = unquote(fields[2])
		}
	case fields[0] == "hat" || strings.HasPrefix(fields[0], "^"):
		prof.Hat = true
		name := strings.TrimPrefix(fields[0], "^")
		if fields[0] == "hat" && len(fields) > 1 {
			name = fields[1]
		}
		prof.Name = unquote(name)
	case strings.HasPrefix(fields[0], "/") || strings.HasPrefix(fields[0], "@{") ||
		strings.HasPrefix(fields[0], `"/`) || strings.HasPrefix(fields[0], ":"):
		prof.Name = unquote(fields[0])
	default:
		p.fail(s.line, source, fmt.Sprintf("unknown block %q: a profile starts with \"profile NAME\" or a path", clip(s.text)))
		return prof, false
	}
	return prof, true
}

// lineStatement reads a variable assignment or an include.
func (p *parser) lineStatement(s stmt, cur *Profile, source string, depth int) {
	text := s.text
	if strings.HasPrefix(text, "@{") || strings.HasPrefix(text, "${") {
		p.assign(s, source)
		return
	}
	inc := parseInclude(text, s.line)
	if inc == nil {
		p.fail(s.line, source, fmt.Sprintf("invalid include %q", clip(text)))
		return
	}
	if cur != nil {
		cur.Includes = append(cur.Includes, inc)
	} else {
		p.file.Includes = append(p.file.Includes, inc)
	}
	p.resolve(inc, cur, depth)
}

func (p *parser) assign(s stmt, source string) {
	i := strings.Index(s.text, "=")
	name := strings.TrimSpace(strings.TrimSuffix(s.text[:i], "+"))
	if strings.HasPrefix(name, "${") {
		return // boolean variables do not affect paths
	}
	if !strings.HasSuffix(name, "}") || strings.ContainsAny(name[2:len(name)-1], "{}") {
		p.fail(s.line, source, fmt.Sprintf("invalid variable name %q", name))
		return
	}
	values := splitWords(s.text[i+1:])
	for j := range values {
		values[j] = unquote(values[j])
	}
	key := name[2 : len(name)-1]
	if strings.Contains(s.text[:i+1], "+=") {
		p.file.Variables[key] = append(p.file.Variables[key], values...)
	} else {
		p.file.Variables[key] = values
	}
}

var includePattern = regexp.MustCompile(`^#?include\s*(if\s+exists\s+)?(<[^>]*>|"[^"]*"|\S+)\s*$`)

func parseInclude(text string, line int) *Include {
	m := includePattern.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	inc := &Include{IfExists: m[1] != "", Line: line}
	switch target := m[2]; {
	case len(target) >= 2 && target[0] == '<' && target[len(target)-1] == '>':
		inc.System = true
		inc.Path = strings.TrimSpace(target[1 : len(target)-1])
	default:
		inc.Path = unquote(target)
	}
	return inc
}

// resolve reads an included file, or each file of an included
// directory, into the current profile or the top level.
func (p *parser) resolve(inc *Include, cur *Profile, depth int) {
	path := inc.Path
	var info os.FileInfo
	var err error
	switch {
	case inc.System:
		path, info, err = p.searchSystem(inc.Path)
	case !filepath.IsAbs(path):
		path = filepath.Join(p.opts.Dir, path)
		info, err = os.Stat(path)
	default:
		info, err = os.Stat(path)
	}
	if err != nil || depth >= maxDepth || p.seen[path] {
		return
	}

	files := []string{path}
	if info.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return
		}
		files = files[:0]
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
	}
	inc.Resolved = path
	p.seen[path] = true
	defer delete(p.seen, path)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || len(data) > MaxSize {
			continue
		}
		p.parse(string(data), f, cur, depth+1)
	}
}

// searchSystem finds a <name> include in the first directory of the
// search path that has it.
func (p *parser) searchSystem(name string) (string, os.FileInfo, error) {
	var firstErr error
	for _, dir := range p.opts.SearchPath() {
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		if err == nil {
			return path, info, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return "", nil, firstErr
}

// qualifiers that may precede a rule.
var qualifiers = []string{"audit", "deny", "allow", "owner"}

// ruleStatement reads one comma-terminated rule.
func (p *parser) ruleStatement(s stmt, cur *Profile, source string) {
	words := splitWords(s.text)
	if len(words) > 0 && (words[0] == "abi" || strings.HasPrefix(words[0], "abi<")) {
		return
	}
	r := &Rule{Line: s.line}
	if source != p.file.Path {
		r.Source = source
	}
	for len(words) > 0 && slices.Contains(qualifiers, words[0]) {
		switch words[0] {
		case "audit":
			r.Audit = true
		case "deny":
			r.Deny = true
		case "owner":
			r.Owner = true
		}
		words = words[1:]
	}
	if len(words) == 0 {
		p.fail(s.line, source, "rule has qualifiers but no rule")
		return
	}
	r.Text = strings.Join(words, " ")
	if reason := p.fillRule(r, words); reason != "" {
		p.fail(s.line, source, reason)
		return
	}
	if cur == nil {
		if source == p.file.Path {
			p.loose = append(p.loose, r)
		}
		return
	}
	cur.Rules = append(cur.Rules, r)
}

// clip shortens text for a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// splitWords splits on spaces outside quotes, parentheses and braces.
func splitWords(s string) []string {
	var out []string
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(' || c == '{' || c == '[':
			depth++
		case c == ')' || c == '}' || c == ']':
			depth = max(depth-1, 0)
		case (c == ' ' || c == '\t' || c == '\r' || c == '\n') && depth == 0:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
			continue
		}
		b.WriteByte(c)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}
