package seccomp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

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

// jsonParser builds a node tree from JSON tokens, keeping positions.
type jsonParser struct {
	data  []byte
	dec   *json.Decoder
	lines lineIndex
	end   int // offset after the last token read
}

func parseJSON(data []byte) (*node, error) {
	p := &jsonParser{data: data, lines: newLineIndex(data)}
	p.dec = json.NewDecoder(bytes.NewReader(data))
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &SyntaxError{Pos: p.lines.pos(p.start()), Reason: "invalid JSON: data after the top-level value"}
	}
	return n, nil
}

// start returns the offset where the next token begins.
func (p *jsonParser) start() int {
	i := p.end
	for i < len(p.data) {
		switch p.data[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

func (p *jsonParser) token() (json.Token, Pos, error) {
	pos := p.lines.pos(p.start())
	tok, err := p.dec.Token()
	if err != nil {
		return nil, pos, p.syntaxError(err)
	}
	p.end = int(p.dec.InputOffset())
	return tok, pos, nil
}

func (p *jsonParser) syntaxError(err error) error {
	off := p.start()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// The decoder's offset in token mode is that of the byte before
		// the offending one.
		off = min(int(se.Offset), len(p.data))
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		off = len(p.data)
		return &SyntaxError{Pos: p.lines.pos(off), Reason: "invalid JSON: unexpected end of file", Err: err}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return &SyntaxError{Pos: p.lines.pos(off), Reason: "invalid JSON: " + msg, Err: err}
}

func (p *jsonParser) value(depth int) (*node, error) {
	tok, pos, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.fromToken(tok, pos, depth)
}

func (p *jsonParser) fromToken(tok json.Token, pos Pos, depth int) (*node, error) {
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, &SyntaxError{Pos: pos, Reason: ErrTooDeep.Error(), Err: ErrTooDeep}
		}
		if t == '{' {
			return p.object(pos, depth+1)
		}
		return p.array(pos, depth+1)
	case string:
		return &node{kind: kindString, pos: pos, text: t}, nil
	case json.Number:
		return &node{kind: kindNumber, pos: pos, text: t.String()}, nil
	case bool:
		return &node{kind: kindBool, pos: pos, text: fmt.Sprint(t)}, nil
	}
	return &node{kind: kindNull, pos: pos}, nil
}

func (p *jsonParser) object(pos Pos, depth int) (*node, error) {
	n := &node{kind: kindObject, pos: pos}
	for {
		tok, kpos, err := p.token()
		if err != nil {
			return nil, err
		}
		if tok == json.Delim('}') {
			return n, nil
		}
		key, _ := tok.(string)
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.fields = append(n.fields, field{key: key, keyPos: kpos, value: v})
	}
}

func (p *jsonParser) array(pos Pos, depth int) (*node, error) {
	n := &node{kind: kindArray, pos: pos}
	for {
		tok, ipos, err := p.token()
		if err != nil {
			return nil, err
		}
		if tok == json.Delim(']') {
			return n, nil
		}
		v, err := p.fromToken(tok, ipos, depth)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
	}
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
