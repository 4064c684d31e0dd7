package compose

import (
	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/input/yamlpos"
)

// service is the position index of one service: its definitions from the
// most specific to the extends base. A key set in a more specific
// definition wins, as in compose's merge.
type service struct {
	l      *load
	name   string
	layers []layer
	// fallback is the position of the service key, used for values whose
	// key cannot be found (compose defaults, included files).
	fallback runtime.Pos
}

// field is a key found in one layer.
type field struct {
	file       *file
	key, value *yaml.Node
}

func (f field) found() bool { return f.key != nil }

// find returns the first layer's key and value at the key path.
func (s *service) find(keys ...string) field {
	for _, ly := range s.layers {
		parent := ly.node
		if len(keys) > 1 {
			parent = yamlpos.Get(ly.node, keys[:len(keys)-1]...)
		}
		if k, v := yamlpos.Field(parent, keys[len(keys)-1]); k != nil {
			return field{file: ly.file, key: k, value: v}
		}
	}
	return field{}
}

// item is one entry of a list or mapping key, with its layer.
type item struct {
	file  *file
	node  *yaml.Node // the sequence item, or the mapping key
	value *yaml.Node // the sequence item, or the mapping value
	raw   string     // the item or key scalar as written, "" for other nodes
	keyed bool       // true for a mapping entry
}

// items returns every entry of the list or mapping at the key path across
// all layers, most specific layer first. Merged lists in compose hold the
// entries of every layer.
func (s *service) items(keys ...string) []item {
	var out []item
	for _, ly := range s.layers {
		n := yamlpos.Get(ly.node, keys...)
		if n == nil {
			continue
		}
		switch n.Kind {
		case yaml.SequenceNode:
			for _, it := range yamlpos.Items(n) {
				out = append(out, item{file: ly.file, node: it, value: it, raw: yamlpos.ScalarValue(it)})
			}
		case yaml.MappingNode:
			for _, p := range yamlpos.Pairs(n) {
				out = append(out, item{file: ly.file, node: p.Key, value: p.Value, raw: p.Key.Value, keyed: true})
			}
		case yaml.ScalarNode:
			out = append(out, item{file: ly.file, node: n, value: n, raw: n.Value})
		}
	}
	return out
}

// match returns the first item whose expanded scalar satisfies ok.
func (s *service) match(items []item, ok func(expanded string, it item) bool) (item, bool) {
	for _, it := range items {
		if ok(s.l.vars.expand(it.raw), it) {
			return it, true
		}
	}
	return item{}, false
}

func posOf(f *file, n *yaml.Node) runtime.Pos {
	if f == nil || n == nil {
		return runtime.Pos{}
	}
	return runtime.Pos{Path: f.path, Line: n.Line, Column: n.Column}
}

// pos returns the position of a found key, or the service start.
func (s *service) pos(f field) runtime.Pos {
	if !f.found() {
		return s.fallback
	}
	return posOf(f.file, f.key)
}

func (s *service) itemPos(it item) runtime.Pos {
	if it.node == nil {
		return s.fallback
	}
	return posOf(it.file, it.node)
}

// unknown reports whether the field's scalar uses a variable that has no
// value, so the loaded value is a guess.
func (s *service) unknown(f field) bool {
	return f.found() && s.l.vars.unresolved(rawText(f.value))
}

// rawText returns the scalar text of a node, or the texts of its scalar
// children joined, for variable checks.
func rawText(n *yaml.Node) string {
	n = yamlpos.Resolve(n)
	if n == nil {
		return ""
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	text := ""
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			text += c.Value + "\n"
		}
	}
	return text
}

// value returns a set Value at the key path when the key is written, and
// an unset Value otherwise.
func value[T any](s *service, v T, keys ...string) runtime.Value[T] {
	f := s.find(keys...)
	if !f.found() {
		return runtime.Value[T]{}
	}
	raw := yamlpos.ScalarValue(f.value)
	if s.unknown(f) {
		return runtime.UnknownAt[T](raw, s.pos(f))
	}
	return runtime.Of(v, raw, s.pos(f))
}

// scalarAt returns the scalar under key of a mapping item, such as the
// target of a long-syntax port.
func scalarAt(it item, key string) string {
	return yamlpos.ScalarValue(yamlpos.Get(it.value, key))
}

// valueOfKey returns the scalar value of a mapping entry, or "".
func valueOfKey(it item) string {
	if !it.keyed {
		return ""
	}
	return yamlpos.ScalarValue(it.value)
}

// fieldKey returns the key and value nodes of a service in a file.
func fieldKey(f *file, name string) (k, v *yaml.Node) {
	return f.service(name)
}
