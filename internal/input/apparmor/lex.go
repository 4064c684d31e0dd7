package apparmor

import (
	"regexp"
	"strings"
)

// stmtKind is the kind of a raw statement.
type stmtKind int

const (
	stmtRule     stmtKind = iota // text ending in a comma
	stmtOpen                     // a block header before "{"
	stmtClose                    // "}"
	stmtLine                     // a variable assignment or include, ended by a newline
	stmtTrailing                 // text left without a comma before "}" or the end
)

// stmt is one statement of profile text with the line it starts on.
type stmt struct {
	kind stmtKind
	text string
	line int
	col  int
}

// lexer splits profile text into statements. A rule ends with a comma
// outside brackets, parentheses, quotes and alternations. A "{" opens a
// block when a space precedes it and the statement has begun; otherwise it
// starts an alternation such as /usr/{bin,sbin}/.
type lexer struct {
	src   string
	out   []stmt
	buf   strings.Builder
	line  int
	start int // line where buf began
	col   int
	scol  int
}

func lex(src string) []stmt {
	l := &lexer{src: src, line: 1, col: 1}
	l.run()
	return l.out
}

func (l *lexer) emit(kind stmtKind) {
	text := strings.TrimSpace(l.buf.String())
	l.buf.Reset()
	if text == "" && kind != stmtOpen && kind != stmtClose {
		return
	}
	l.out = append(l.out, stmt{kind: kind, text: text, line: l.start, col: l.scol})
}

func (l *lexer) add(c byte) {
	if strings.TrimSpace(l.buf.String()) == "" && c != ' ' && c != '\t' && c != '\r' {
		l.start, l.scol = l.line, l.col
	}
	l.buf.WriteByte(c)
}

// assignPattern matches the start of a variable assignment.
var assignPattern = regexp.MustCompile(`^[@$]\{[^}]*\}\s*\+?=`)

// lineStatement reports whether the buffered text ends at the newline: a
// variable assignment or an include.
func (l *lexer) lineStatement() bool {
	t := strings.TrimSpace(l.buf.String())
	return assignPattern.MatchString(t) || strings.HasPrefix(t, "#include") ||
		strings.HasPrefix(t, "include ") || strings.HasPrefix(t, "include<")
}

func (l *lexer) run() {
	alt, paren, bracket := 0, 0, 0
	quoted := false
	for i := 0; i < len(l.src); i++ {
		c := l.src[i]
		switch {
		case quoted:
			l.add(c)
			if c == '"' {
				quoted = false
			}
		case c == '"':
			quoted = true
			l.add(c)
		case c == '#' && l.atWordStart(i) && !strings.HasPrefix(l.src[i:], "#include"):
			for i < len(l.src) && l.src[i] != '\n' {
				i++
			}
			i--
		case c == '\n':
			if l.lineStatement() && alt == 0 && paren == 0 {
				l.emit(stmtLine)
			} else {
				l.add(' ')
			}
			l.line++
			l.col = 0
		case c == '[':
			bracket++
			l.add(c)
		case c == ']':
			bracket = max(bracket-1, 0)
			l.add(c)
		case bracket > 0:
			l.add(c)
		case c == '(':
			paren++
			l.add(c)
		case c == ')':
			paren = max(paren-1, 0)
			l.add(c)
		case c == '{':
			if alt > 0 || !l.blockStart(i) {
				alt++
				l.add(c)
				break
			}
			l.emitOpen()
		case c == '}':
			if alt > 0 {
				alt--
				l.add(c)
				break
			}
			l.emit(stmtTrailing)
			l.start, l.scol = l.line, l.col
			l.emit(stmtClose)
		case c == ',' && alt == 0 && paren == 0:
			l.emit(stmtRule)
		default:
			l.add(c)
		}
		l.col++
	}
	l.emit(stmtTrailing)
}

func (l *lexer) emitOpen() {
	if strings.TrimSpace(l.buf.String()) == "" {
		l.start, l.scol = l.line, l.col
	}
	l.emit(stmtOpen)
}

// atWordStart reports whether position i starts a word.
func (l *lexer) atWordStart(i int) bool {
	return i == 0 || strings.ContainsRune(" \t\r\n,", rune(l.src[i-1]))
}

// blockStart reports whether the "{" at i opens a block: the statement has
// begun and a space precedes the brace, or the statement is a hat (^name{).
func (l *lexer) blockStart(i int) bool {
	t := strings.TrimSpace(l.buf.String())
	if t == "" || assignPattern.MatchString(t) {
		return false
	}
	prev := l.src[i-1]
	if prev == ' ' || prev == '\t' || prev == '\n' || prev == '\r' || prev == ')' {
		return true
	}
	return strings.HasPrefix(t, "^") && !strings.ContainsAny(t, " \t")
}
