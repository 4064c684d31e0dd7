package runtime

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Script is a piece of shell code inside a file: a whole shell script, a
// Makefile recipe, a CI run block or a Markdown code block.
type Script struct {
	Text string
	// Line is the file line of the first line of Text.
	Line int
	// Indent is added to the column of every position, for code that was
	// de-indented out of YAML or Markdown.
	Indent int
	// Lenient drops syntax errors instead of reporting them, for code
	// blocks in documentation that often hold usage text.
	Lenient bool
}

// Broken is a command that the shell ends before the lines meant to
// continue it, because of whitespace after a backslash or a comment, so
// the flags on the following lines never reach it.
type Broken struct {
	// Line is the line where the shell ends the command.
	Line int
	// Comment is true when a comment ends the command, and false when
	// whitespace after a backslash does.
	Comment bool
	// Lost are the words on the following lines that never reach the
	// command, as written: usually flags, sometimes the image.
	Lost    []string
	LostPos Pos
}

// ScriptResult is the containers and problems ParseScripts finds in one file.
type ScriptResult struct {
	Containers []*Container
	// Problems are scripts that could not be parsed, with their position.
	Problems []Note
}

// ParseScripts finds docker and podman commands in shell code. Variables
// assigned earlier in the same script with literal values are expanded;
// every other expansion makes its word unknown. The process environment
// is never read.
func ParseScripts(path string, scripts []Script) ScriptResult {
	var res ScriptResult
	for _, s := range scripts {
		cs, err := parseScript(path, s)
		if err != nil {
			if !s.Lenient {
				res.Problems = append(res.Problems, scriptProblem(path, s, err))
			}
			// One bad line must not hide the commands on the others, so
			// parse line by line.
			cs = parseScriptLines(path, s)
		}
		res.Containers = append(res.Containers, cs...)
	}
	return res
}

func scriptProblem(path string, s Script, err error) Note {
	pos := Pos{Path: path, Line: s.Line}
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		pos.Line = s.Line + int(pe.Pos.Line()) - 1
		pos.Column = int(pe.Pos.Col()) + s.Indent
		return Note{Pos: pos, Message: "invalid shell syntax: " + pe.Text}
	}
	return Note{Pos: pos, Message: "invalid shell syntax: " + err.Error()}
}

// parseScriptLines parses each logical line of s on its own, skipping the
// lines that do not parse.
func parseScriptLines(path string, s Script) []*Container {
	var out []*Container
	lines := strings.Split(s.Text, "\n")
	for start := 0; start < len(lines); {
		end := start
		for end < len(lines)-1 && strings.HasSuffix(lines[end], "\\") {
			end++
		}
		chunk := Script{Text: strings.Join(lines[start:end+1], "\n"), Line: s.Line + start, Indent: s.Indent}
		if cs, err := parseScript(path, chunk); err == nil {
			out = append(out, cs...)
		}
		start = end + 1
	}
	return out
}

func parseScript(path string, s Script) ([]*Container, error) {
	text := strings.ReplaceAll(s.Text, "\r\n", "\n")
	p := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangBash))
	f, err := p.Parse(strings.NewReader(text), path)
	if err != nil {
		return nil, err
	}
	w := &scriptWalker{path: path, src: text, script: s, env: scriptEnv{}}
	syntax.Walk(f, w.visit)
	return w.out, nil
}

type scriptWalker struct {
	path   string
	src    string
	script Script
	env    scriptEnv
	// unresolved holds the source text of the parts that partialLiteral
	// could not expand, indexed by their markers.
	unresolved []string
	out        []*Container
	// stack holds the nodes being walked, so an assignment can tell
	// whether it runs only under a condition.
	stack []syntax.Node
}

func (w *scriptWalker) visit(n syntax.Node) bool {
	if n == nil {
		w.stack = w.stack[:len(w.stack)-1]
		return true
	}
	switch n := n.(type) {
	case *syntax.CallExpr:
		if len(n.Args) == 0 {
			w.assign(n.Assigns)
		} else {
			w.call(n)
		}
	case *syntax.DeclClause:
		w.assign(n.Args)
	case *syntax.ForClause:
		if wi, ok := n.Loop.(*syntax.WordIter); ok {
			delete(w.env, wi.Name.Value)
		}
	}
	w.stack = append(w.stack, n)
	return true
}

// conditional reports whether the node being visited runs only sometimes:
// inside an if, case, loop, function, pipeline or && / || list.
func (w *scriptWalker) conditional() bool {
	for _, n := range w.stack {
		switch n.(type) {
		case *syntax.IfClause, *syntax.CaseClause, *syntax.WhileClause, *syntax.ForClause,
			*syntax.FuncDecl, *syntax.BinaryCmd, *syntax.Subshell:
			return true
		}
	}
	return false
}

// assign records literal assignments that always run. A variable
// assigned anything else, or only under a condition, is removed, because
// its value after that point is not known.
func (w *scriptWalker) assign(as []*syntax.Assign) {
	for _, a := range as {
		if a.Name == nil {
			continue
		}
		if a.Value == nil || a.Array != nil || a.Append || w.conditional() {
			delete(w.env, a.Name.Value)
			continue
		}
		v, err := expand.Literal(w.config(), a.Value)
		if err != nil {
			v, err = w.partialLiteral(a.Value)
		}
		if err != nil {
			delete(w.env, a.Name.Value)
			continue
		}
		w.env[a.Name.Value] = v
	}
}

// Unresolved parts of a partly known value are stored as
// unresolvedStart, an index into scriptWalker.unresolved, and
// unresolvedEnd. Neither byte is a blank, so field splitting keeps each
// marker whole.
const (
	unresolvedStart = "\x01"
	unresolvedEnd   = "\x02"
)

// partialLiteral expands a value such as "--rm --privileged $EXTRA" whose
// expansions are only partly known. Each part that cannot be expanded is
// replaced by a marker, so a later $FLAGS still yields the known flags
// and marks the rest unknown. It fails when no literal text is known,
// because the variable is then as unknown as the parts it copies.
func (w *scriptWalker) partialLiteral(word *syntax.Word) (string, error) {
	var b strings.Builder
	known := false
	for _, part := range word.Parts {
		dq, quoted := part.(*syntax.DblQuoted)
		inner := []syntax.WordPart{part}
		if quoted {
			inner = dq.Parts
		}
		for _, p := range inner {
			single := &syntax.Word{Parts: []syntax.WordPart{p}}
			if quoted {
				single.Parts = []syntax.WordPart{&syntax.DblQuoted{Parts: []syntax.WordPart{p}}}
			}
			v, err := expand.Literal(w.config(), single)
			if err != nil {
				src := w.src[p.Pos().Offset():p.End().Offset()]
				b.WriteString(unresolvedStart + strconv.Itoa(len(w.unresolved)) + unresolvedEnd)
				w.unresolved = append(w.unresolved, src)
				continue
			}
			known = known || strings.TrimSpace(v) != ""
			b.WriteString(v)
		}
	}
	if !known {
		return "", errors.New("no part of the value is known")
	}
	return b.String(), nil
}

var unresolvedMarker = regexp.MustCompile("\x01([0-9]+)\x02")

// restoreUnresolved replaces the markers in an expanded field with the
// source text of the parts they stand for, such as "$EXTRA".
func (w *scriptWalker) restoreUnresolved(field string) string {
	return unresolvedMarker.ReplaceAllStringFunc(field, func(m string) string {
		i, err := strconv.Atoi(m[1 : len(m)-1])
		if err != nil || i >= len(w.unresolved) {
			return m
		}
		return w.unresolved[i]
	})
}

func (w *scriptWalker) config() *expand.Config {
	return &expand.Config{
		Env:     w.env,
		NoUnset: true,
		CmdSubst: func(io.Writer, *syntax.CmdSubst) error {
			return errors.New("command substitution")
		},
		ProcSubst: func(*syntax.ProcSubst) (string, error) {
			return "", errors.New("process substitution")
		},
	}
}

func (w *scriptWalker) call(ce *syntax.CallExpr) {
	args := ce.Args
	broken, at := w.brokenAt(ce)
	if broken != nil {
		// The escaped blank and what follows it on the line are junk
		// arguments, never the flags the author meant.
		args = args[:at]
	}
	words := w.words(args)
	if len(words) == 0 {
		return
	}
	c := ParseCommand(words)
	if c == nil {
		w.shellC(words)
		return
	}
	if broken != nil {
		c.Broken = broken
		// RT036 reports the lost words, which often hold the image.
		c.Notes = slices.DeleteFunc(c.Notes, func(n Note) bool {
			return n.Message == fmt.Sprintf(noImageNote, c.Command)
		})
	}
	w.out = append(w.out, c)
}

// shellC parses the script given to sh -c or bash -c.
func (w *scriptWalker) shellC(words []Word) {
	if len(words) < 3 || words[len(words)-2].Text != "-c" || words[len(words)-1].Unknown {
		return
	}
	switch words[0].Text {
	case "sh", "bash", "/bin/sh", "/bin/bash", "ash", "dash":
	default:
		return
	}
	last := words[len(words)-1]
	inner := Script{Text: last.Text, Line: last.Pos.Line, Indent: last.Pos.Column}
	if cs, err := parseScript(w.path, inner); err == nil {
		w.out = append(w.out, cs...)
	}
}

func (w *scriptWalker) pos(p syntax.Pos) Pos {
	return Pos{Path: w.path, Line: w.script.Line + int(p.Line()) - 1,
		Column: int(p.Col()) + w.script.Indent}
}

// words expands the arguments of a command. A word that cannot be expanded
// keeps its source text and is marked unknown.
func (w *scriptWalker) words(args []*syntax.Word) []Word {
	cfg := w.config()
	var out []Word
	for _, a := range args {
		pos := w.pos(a.Pos())
		src := w.src[a.Pos().Offset():a.End().Offset()]
		if braceExpansion.MatchString(src) {
			// Brace expansion can produce millions of words ({1..9999999})
			// and no docker flag needs it, so the word stays unexpanded.
			out = append(out, Word{Text: src, Unknown: true, Pos: pos})
			continue
		}
		fields, err := expand.Fields(cfg, a)
		if err != nil {
			out = append(out, Word{Text: unquote(src), Unknown: true, Split: hasUnquotedExpansion(a), Pos: pos})
			continue
		}
		for _, f := range fields {
			if strings.Contains(f, unresolvedStart) {
				out = append(out, Word{Text: w.restoreUnresolved(f), Unknown: true,
					Split: hasUnquotedExpansion(a), Via: unquote(src), Pos: pos})
				continue
			}
			out = append(out, Word{Text: f, Pos: pos})
		}
	}
	return out
}

// unquote removes the outer quotes of an unknown word so that a quoted
// flag such as "--user=$U" still shows its flag name.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

func hasUnquotedExpansion(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp:
			return true
		}
	}
	return false
}

// braceExpansion matches a { that is not part of ${...}.
var braceExpansion = regexp.MustCompile(`(^|[^$])\{`)

var escapedBlank = regexp.MustCompile(`^\\[ \t]`)

// brokenAt reports a command that the shell ends earlier than its author
// meant. Either its last line holds a backslash-escaped blank, as in
// "--rm \\ " or "--rm \\ # note", so the newline ends the command, or a
// comment sits between its words. It returns the index of the first word
// the command does not get.
func (w *scriptWalker) brokenAt(ce *syntax.CallExpr) (*Broken, int) {
	lastLine := ce.Args[len(ce.Args)-1].End().Line()
	at := -1
	for i, a := range ce.Args {
		if a.Pos().Line() != lastLine {
			continue
		}
		if escapedBlank.MatchString(w.src[a.Pos().Offset():a.End().Offset()]) {
			at = i
			break
		}
	}
	if at >= 0 {
		return w.lostAfter(int(lastLine)), at
	}
	if i, line, ok := w.commentInside(ce); ok {
		b := w.lostAfter(line)
		b.Comment = true
		return b, i
	}
	if line, ok := w.commentAfter(ce); ok {
		b := w.lostAfter(line)
		b.Comment = true
		return b, len(ce.Args)
	}
	return nil, -1
}

// commentAfter finds a comment line that ends a continued command, as in
//
//	docker run --rm \
//	  # the next flag is needed in CI
//	  --read-only img
//
// The backslash joins the comment line, the comment ends the command, and
// the next line runs as a command of its own. It needs that next line to
// start with a flag, so a comment before an unrelated command is not taken
// for one. It returns the line of the last comment in the script.
func (w *scriptWalker) commentAfter(ce *syntax.CallExpr) (int, bool) {
	end := int(ce.Args[len(ce.Args)-1].End().Offset())
	rest := w.src[end:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 || strings.TrimRight(rest[:nl], " \t") != "\\" && strings.TrimSpace(rest[:nl]) != "\\" {
		return 0, false
	}
	line := 1 + strings.Count(w.src[:end], "\n")
	comment := 0
	for _, text := range strings.Split(rest[nl+1:], "\n") {
		text = strings.TrimSpace(text)
		switch {
		case strings.HasPrefix(text, "#"):
			line++
			comment = line
		case comment > 0 && strings.HasPrefix(text, "-"):
			return comment, true
		default:
			return 0, false
		}
	}
	return 0, false
}

// commentInside finds a comment between two words of a command, as in
//
//	docker run --rm \
//	  # --privileged \
//	  --read-only img
//
// The shell ends the command at the comment, but the parser joins the
// lines because the comment ends in a backslash. It returns the index of
// the first word after the comment and the comment's line in the script.
func (w *scriptWalker) commentInside(ce *syntax.CallExpr) (int, int, bool) {
	for i := 1; i < len(ce.Args); i++ {
		gap := w.src[ce.Args[i-1].End().Offset():ce.Args[i].Pos().Offset()]
		if k := strings.IndexByte(gap, '#'); k >= 0 {
			off := int(ce.Args[i-1].End().Offset()) + k
			return i, 1 + strings.Count(w.src[:off], "\n"), true
		}
	}
	return 0, 0, false
}

// lostAfter collects the words on the lines after line (1-based within
// the script) that a continuation would have joined to the command.
func (w *scriptWalker) lostAfter(line int) *Broken {
	lines := strings.Split(w.src, "\n")
	b := &Broken{Line: w.script.Line + line - 1}
	for i := line; i < len(lines); i++ {
		text := strings.TrimRight(lines[i], " \t")
		for f := range strings.FieldsSeq(strings.TrimSuffix(text, "\\")) {
			if strings.HasPrefix(f, "#") {
				break
			}
			if b.LostPos.Line == 0 {
				b.LostPos = Pos{Path: w.path, Line: w.script.Line + i, Column: w.script.Indent + 1}
			}
			b.Lost = append(b.Lost, f)
		}
		b.LostPos.EndLine = w.script.Line + i
		if !strings.HasSuffix(text, "\\") {
			break
		}
	}
	return b
}

// scriptEnv holds the variables a script assigns literal values. HOME is
// kept as "~" so tilde expansion never reads the real home directory.
type scriptEnv map[string]string

func (e scriptEnv) Get(name string) expand.Variable {
	if name == "HOME" {
		return expand.Variable{Set: true, Kind: expand.String, Str: "~"}
	}
	v, ok := e[name]
	if !ok {
		return expand.Variable{}
	}
	return expand.Variable{Set: true, Kind: expand.String, Str: v}
}

func (e scriptEnv) Each(f func(string, expand.Variable) bool) {
	for k, v := range e {
		if !f(k, expand.Variable{Set: true, Kind: expand.String, Str: v}) {
			return
		}
	}
}
