package seccomp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxSize is the largest profile the reader accepts. Docker's own default
// profile is about 20 KiB, so 10 MiB leaves room for any generated one.
const MaxSize = 10 << 20

// maxDepth bounds the nesting of arrays and objects. A profile needs four
// levels (profile, syscalls, rule, args); the limit stops inputs nested
// without end from exhausting the stack.
const maxDepth = 64

// maxNodes bounds the values one YAML file may expand to through aliases.
const maxNodes = 1 << 20

// Sentinel errors callers can test with errors.Is.
var (
	ErrTooLarge   = errors.New("profile larger than 10 MiB")
	ErrTooDeep    = errors.New("profile nested more than 64 levels deep")
	ErrNotSeccomp = errors.New("not a seccomp profile")
)

// Pos is a 1-based line and column in the profile file.
type Pos struct {
	Line, Column int
}

type nodeKind int

const (
	kindNull nodeKind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k nodeKind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// node is a JSON or YAML value with the position where it starts.
type node struct {
	kind   nodeKind
	pos    Pos
	text   string // scalar text: the string value, number or boolean literal
	fields []field
	items  []*node
}

type field struct {
	key    string
	keyPos Pos
	value  *node
}

// get returns the value of the last field named key, as json.Unmarshal
// keeps the last of duplicate keys.
func (n *node) get(key string) *node {
	var v *node
	for _, f := range n.fields {
		if f.key == key {
			v = f.value
		}
	}
	return v
}

// lineIndex converts byte offsets to line and column.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (idx lineIndex) pos(off int) Pos {
	lo, hi := 0, len(idx)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if idx[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return Pos{Line: lo + 1, Column: off - idx[lo] + 1}
}

// SyntaxError is a profile that cannot be decoded at all.
type SyntaxError struct {
	Pos    Pos
	Reason string
	Err    error
}

func (e *SyntaxError) Error() string {
	if e.Pos.Line == 0 {
		return e.Reason
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Pos.Line, e.Pos.Column, e.Reason)
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// jsonParser is a recursive-descent JSON parser that records where each
// value starts. encoding/json reports only byte offsets of errors, not of
// values, so the reader scans the bytes itself; string escapes are still
// decoded by encoding/json.
type jsonParser struct {
	data  []byte
	i     int
	lines lineIndex
}

func parseJSON(data []byte) (*node, error) {
	p := &jsonParser{data: data, lines: newLineIndex(data)}
	p.skipBOM()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(p.data) {
		return nil, p.fail("invalid JSON: data after the top-level value")
	}
	return n, nil
}

func (p *jsonParser) skipBOM() {
	if len(p.data) >= 3 && p.data[0] == 0xef && p.data[1] == 0xbb && p.data[2] == 0xbf {
		p.i = 3
	}
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) fail(reason string) error {
	if p.i >= len(p.data) {
		reason = "invalid JSON: unexpected end of file"
	}
	return &SyntaxError{Pos: p.lines.pos(p.i), Reason: reason}
}

func (p *jsonParser) unexpected(want string) error {
	if p.i >= len(p.data) {
		return p.fail("")
	}
	return p.fail(fmt.Sprintf("invalid JSON: unexpected %q, expected %s", rune(p.data[p.i]), want))
}

func (p *jsonParser) value(depth int) (*node, error) {
	p.skipSpace()
	if p.i >= len(p.data) {
		return nil, p.fail("")
	}
	pos := p.lines.pos(p.i)
	switch c := p.data[p.i]; {
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return nil, &SyntaxError{Pos: pos, Reason: ErrTooDeep.Error(), Err: ErrTooDeep}
		}
		p.i++
		if c == '{' {
			return p.object(pos, depth+1)
		}
		return p.array(pos, depth+1)
	case c == '"':
		text, err := p.str()
		if err != nil {
			return nil, err
		}
		return &node{kind: kindString, pos: pos, text: text}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(pos)
	}
	for _, lit := range []struct {
		word string
		kind nodeKind
	}{{"true", kindBool}, {"false", kindBool}, {"null", kindNull}} {
		if bytes.HasPrefix(p.data[p.i:], []byte(lit.word)) {
			p.i += len(lit.word)
			return &node{kind: lit.kind, pos: pos, text: lit.word}, nil
		}
	}
	return nil, p.unexpected("a value")
}

func (p *jsonParser) object(pos Pos, depth int) (*node, error) {
	n := &node{kind: kindObject, pos: pos}
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return n, nil
	}
	for {
		p.skipSpace()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, p.unexpected("a string key")
		}
		kpos := p.lines.pos(p.i)
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, p.unexpected("':' after the key")
		}
		p.i++
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.fields = append(n.fields, field{key: key, keyPos: kpos, value: v})
		p.skipSpace()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return n, nil
		}
		return nil, p.unexpected("',' or '}'")
	}
}

func (p *jsonParser) array(pos Pos, depth int) (*node, error) {
	n := &node{kind: kindArray, pos: pos}
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return n, nil
	}
	for {
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		p.skipSpace()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return n, nil
		}
		return nil, p.unexpected("',' or ']'")
	}
}

// str reads a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	start := p.i
	p.i++
	escaped := false
	for p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == '"':
			p.i++
			raw := p.data[start:p.i]
			if !escaped && utf8.Valid(raw) {
				return string(raw[1 : len(raw)-1]), nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				p.i = start
				return "", p.fail("invalid JSON: invalid string escape")
			}
			return s, nil
		case c == '\\':
			escaped = true
			p.i += 2
		case c < 0x20:
			return "", p.fail("invalid JSON: control character in a string")
		default:
			p.i++
		}
	}
	return "", p.fail("")
}

// number reads a JSON number and keeps its text.
func (p *jsonParser) number(pos Pos) (*node, error) {
	start := p.i
	if p.data[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	intStart := p.i
	if digits() == 0 {
		return nil, p.unexpected("a digit")
	}
	if p.data[intStart] == '0' && p.i-intStart > 1 {
		p.i = intStart
		return nil, p.fail("invalid JSON: number with a leading zero")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.unexpected("a digit")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.unexpected("a digit")
		}
	}
	return &node{kind: kindNumber, pos: pos, text: string(p.data[start:p.i])}, nil
}

// parseYAML returns one node tree per YAML document.
func parseYAML(data []byte) ([]*node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, yamlSyntaxError(err)
		}
		c := &yamlConverter{}
		n, err := c.convert(&doc, 0)
		if err != nil {
			return nil, err
		}
		if n != nil {
			docs = append(docs, n)
		}
	}
}

func yamlSyntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	return &SyntaxError{Pos: Pos{Line: line, Column: 1}, Reason: "invalid YAML: " + msg, Err: err}
}

type yamlConverter struct {
	count int
}

func (c *yamlConverter) convert(y *yaml.Node, depth int) (*node, error) {
	c.count++
	pos := Pos{Line: y.Line, Column: y.Column}
	if c.count > maxNodes {
		return nil, &SyntaxError{Pos: pos, Reason: "YAML aliases expand to more than a million values"}
	}
	if depth >= maxDepth {
		return nil, &SyntaxError{Pos: pos, Reason: ErrTooDeep.Error(), Err: ErrTooDeep}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return nil, nil
		}
		return c.convert(y.Content[0], depth)
	case yaml.AliasNode:
		return c.convert(y.Alias, depth+1)
	case yaml.MappingNode:
		n := &node{kind: kindObject, pos: pos}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			val, err := c.convert(v, depth+1)
			if err != nil {
				return nil, err
			}
			n.fields = append(n.fields, field{key: k.Value, keyPos: Pos{k.Line, k.Column}, value: val})
		}
		return n, nil
	case yaml.SequenceNode:
		n := &node{kind: kindArray, pos: pos}
		for _, item := range y.Content {
			v, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
		}
		return n, nil
	}
	return c.scalar(y, pos), nil
}

func (c *yamlConverter) scalar(y *yaml.Node, pos Pos) *node {
	switch y.ShortTag() {
	case "!!null":
		return &node{kind: kindNull, pos: pos}
	case "!!bool":
		return &node{kind: kindBool, pos: pos, text: y.Value}
	case "!!int", "!!float":
		return &node{kind: kindNumber, pos: pos, text: y.Value}
	}
	return &node{kind: kindString, pos: pos, text: y.Value}
}
