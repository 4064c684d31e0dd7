// Package yamlpos keeps the source positions that typed YAML decoders
// drop. Readers parse a file into go.yaml.in/yaml/v3 nodes once, decode
// the typed model from the same bytes, and then ask this package where a
// key or list item was written. Lookups see through aliases and merge keys
// (<<), so a value that came from an anchor points at the line inside the
// anchored mapping that set it.
package yamlpos

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	yamlv4 "go.yaml.in/yaml/v4"
)

// maxDepth bounds how many aliases and merge keys a lookup follows. YAML
// allows an anchored node to contain an alias to itself, so an unbounded
// walk could loop forever.
const maxDepth = 64

// Error is a YAML syntax error with the position the parser reported.
type Error struct {
	Path   string
	Line   int // 1-based; zero when the parser gave no line
	Reason string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: invalid YAML: %s", e.Path, e.Reason)
	}
	return fmt.Sprintf("%s:%d: invalid YAML: %s", e.Path, e.Line, e.Reason)
}

var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// NewError converts an error from the YAML parser into an *Error, moving
// the "yaml: line N:" prefix into Line.
func NewError(path string, err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	msg := strings.TrimSpace(err.Error())
	if te := (*yaml.TypeError)(nil); errors.As(err, &te) && len(te.Errors) > 0 {
		msg = strings.TrimSpace(te.Errors[0])
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	return &Error{Path: path, Line: line, Reason: msg}
}

// Parse reads every document of a YAML stream. On a syntax error it
// returns the documents before the broken one and an *Error. Empty and
// null documents (a stray "---") are dropped.
func Parse(path string, data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			pe := NewError(path, err)
			if line := problemLine(data); line > 0 {
				pe.Line = line
			}
			return docs, pe
		}
		if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 && !IsNull(doc.Content[0]) {
			docs = append(docs, doc.Content[0])
		}
	}
}

// Resolve follows alias nodes to the node they name. It returns nil for
// nil.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxDepth; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return Resolve(n.Content[0])
	}
	return n
}

// IsMergeKey reports whether n is a merge key (<<).
func IsMergeKey(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "<<" &&
		(n.Tag == "" || n.Tag == "!" || n.Tag == "!!merge" || n.Tag == "tag:yaml.org,2002:merge")
}

// Pair is one key and value of a mapping.
type Pair struct {
	Key, Value *yaml.Node
}

// Pairs returns the effective entries of a mapping: its own keys first,
// then the keys that merge keys bring in and that the mapping does not
// set itself. Among several merged mappings the first one wins, as in
// YAML 1.1. Values are resolved aliases. It returns nil when n is not a
// mapping.
func Pairs(n *yaml.Node) []Pair {
	var out []Pair
	seen := make(map[string]bool)
	collectPairs(Resolve(n), seen, &out, 0)
	return out
}

func collectPairs(n *yaml.Node, seen map[string]bool, out *[]Pair, depth int) {
	if n == nil || n.Kind != yaml.MappingNode || depth > maxDepth {
		return
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if IsMergeKey(k) {
			merges = append(merges, v)
			continue
		}
		if seen[k.Value] {
			continue
		}
		seen[k.Value] = true
		*out = append(*out, Pair{Key: k, Value: Resolve(v)})
	}
	for _, m := range merges {
		m = Resolve(m)
		if m == nil {
			continue
		}
		if m.Kind == yaml.SequenceNode {
			for _, item := range m.Content {
				collectPairs(Resolve(item), seen, out, depth+1)
			}
			continue
		}
		collectPairs(m, seen, out, depth+1)
	}
}

// Field returns the key and value nodes of key in mapping n, looking
// through merge keys. Both are nil when the key is absent.
func Field(n *yaml.Node, key string) (k, v *yaml.Node) {
	return findField(Resolve(n), key, 0)
}

func findField(n *yaml.Node, key string, depth int) (k, v *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode || depth > maxDepth {
		return nil, nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := n.Content[i]
		if IsMergeKey(kn) {
			merges = append(merges, n.Content[i+1])
			continue
		}
		if kn.Value == key && kn.Kind == yaml.ScalarNode {
			return kn, Resolve(n.Content[i+1])
		}
	}
	for _, m := range merges {
		m = Resolve(m)
		if m == nil {
			continue
		}
		items := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			items = m.Content
		}
		for _, item := range items {
			if k, v := findField(Resolve(item), key, depth+1); k != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// Get follows a path of mapping keys from n and returns the value node,
// or nil when any key is absent.
func Get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, key := range keys {
		_, n = Field(n, key)
		if n == nil {
			return nil
		}
	}
	return n
}

// Items returns the resolved items of a sequence node, or nil.
func Items(n *yaml.Node) []*yaml.Node {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, item := range n.Content {
		out = append(out, Resolve(item))
	}
	return out
}

// DuplicateMergeKeys returns the second and later merge keys of every
// mapping under n that has more than one. YAML parsers differ here:
// compose rejects such a mapping, while the fix is one merge key with a
// list, <<: [*a, *b].
func DuplicateMergeKeys(n *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	visited := make(map[*yaml.Node]bool)
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || visited[n] || n.Kind == yaml.AliasNode {
			return
		}
		visited[n] = true
		merges := 0
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 && IsMergeKey(c) {
				merges++
				if merges > 1 {
					out = append(out, c)
				}
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// RecursiveAliases returns the aliases under n that name a node which
// contains the alias itself, such as the merge key in
//
//	x-a: &a
//	  <<: *a
//
// Expanding such an alias never ends, and compose-go v2.16.2 spends
// minutes on one before it gives up.
func RecursiveAliases(n *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	open := make(map[*yaml.Node]bool) // the nodes on the path from n
	visited := make(map[*yaml.Node]bool)
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || visited[n] {
			return
		}
		if n.Kind == yaml.AliasNode {
			if open[n.Alias] {
				out = append(out, n)
			}
			return
		}
		visited[n] = true
		open[n] = true
		for _, c := range n.Content {
			walk(c)
		}
		open[n] = false
	}
	walk(n)
	return out
}

// ScalarValue returns the value of a scalar node, or "" for any other
// node.
func ScalarValue(n *yaml.Node) string {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// IsNull reports whether n is absent or an explicit null.
func IsNull(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

var (
	v4ContextRE = regexp.MustCompile(`^yaml: while (scanning|parsing) [^:]*? at line (\d+)`)
	v4ProblemRE = regexp.MustCompile(`line (\d+)(?:, column \d+)?: [^:]*$`)
)

// problemLine returns the line of the first syntax error in data, or 0.
// go.yaml.in/yaml/v3 reports the line of the enclosing collection, often
// far above the mistake, so the stream is parsed again with v4, whose
// message carries both marks. In that message a parser mark is 0-based
// and a scanner mark is 1-based. For a scanner error the context mark,
// such as the start of a key that lacks its colon, is the better line.
// NOTE: this depends on the message format of go.yaml.in/yaml/v4
// v4.0.0-rc.4; a format it does not match falls back to v3's line.
func problemLine(data []byte) int {
	dec := yamlv4.NewDecoder(bytes.NewReader(data))
	var err error
	for err == nil {
		var n yamlv4.Node
		err = dec.Decode(&n)
	}
	if errors.Is(err, io.EOF) {
		return 0
	}
	msg := err.Error()
	if m := v4ContextRE.FindStringSubmatch(msg); m != nil && m[1] == "scanning" {
		line, _ := strconv.Atoi(m[2])
		return line
	}
	m := v4ProblemRE.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	line, _ := strconv.Atoi(m[1])
	if strings.Contains(msg, "while parsing") || strings.HasPrefix(msg, "yaml: line") && strings.Contains(msg, "did not find expected") {
		line++
	}
	return line
}
