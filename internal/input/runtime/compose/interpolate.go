package compose

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/input/yamlpos"
)

// maxExpandedNodes bounds the nodes that expanding aliases may create, so
// that a file of nested aliases ("billion laughs") cannot exhaust memory.
const maxExpandedNodes = 1 << 20

// errTooManyNodes is returned when expanding aliases exceeds
// maxExpandedNodes; the caller falls back to compose-go's interpolation.
var errTooManyNodes = errors.New("aliases expand to too many nodes")

var (
	castsOnce sync.Once
	casts     map[tree.Path]interp.Cast
)

// typeCasts returns compose-go's own table of the paths whose
// interpolated values are cast to booleans and numbers.
func typeCasts() map[tree.Path]interp.Cast {
	castsOnce.Do(func() {
		opts := loader.ToOptions(&types.ConfigDetails{}, nil)
		casts = lenientCasts(opts.Interpolate.TypeCastMapping)
	})
	return casts
}

// needsLoaderInterpolation reports whether compose-go must interpolate the
// file itself: it loads extends.file bases and included files on its own,
// and they need the same variables.
func needsLoaderInterpolation(root *yaml.Node) bool {
	if yamlpos.Get(root, "include") != nil {
		return true
	}
	for _, p := range yamlpos.Pairs(yamlpos.Get(root, "services")) {
		if ext := yamlpos.Get(p.Value, "extends"); ext != nil && ext.Kind == yaml.MappingNode {
			return true
		}
	}
	return false
}

// interpolator substitutes variables in a copy of the tree before
// compose-go loads it. compose-go's own interpolation looks up a type
// cast for every string of the file. This one visits only the scalars
// that contain a $, so loading a large file takes about a fifth less CPU
// time. Aliases are expanded first, so that a value from an anchor is
// cast by the path where it is used, as compose does.
type interpolator struct {
	vars  *variables
	casts map[tree.Path]interp.Cast
	nodes int
}

func (ip *interpolator) walk(n *yaml.Node, path []string) error {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if err := ip.walk(c, path); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := ip.expand(n, i+1); err != nil {
				return err
			}
			k, v := n.Content[i], n.Content[i+1]
			if yamlpos.IsMergeKey(k) {
				// Merged keys belong to this mapping, so they keep its path.
				if err := ip.merged(v, path); err != nil {
					return err
				}
				continue
			}
			if err := ip.walk(v, append(path[:len(path):len(path)], k.Value)); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		sub := append(path[:len(path):len(path)], tree.PathMatchList)
		for i := range n.Content {
			if err := ip.expand(n, i); err != nil {
				return err
			}
			if err := ip.walk(n.Content[i], sub); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		return ip.scalar(n, path)
	}
	return nil
}

// merged walks the value of a merge key: a mapping or a list of them.
func (ip *interpolator) merged(v *yaml.Node, path []string) error {
	if v.Kind != yaml.SequenceNode {
		return ip.walk(v, path)
	}
	for i := range v.Content {
		if err := ip.expand(v, i); err != nil {
			return err
		}
		if err := ip.walk(v.Content[i], path); err != nil {
			return err
		}
	}
	return nil
}

// expand replaces the alias at n.Content[i] by a copy of the node it
// names.
func (ip *interpolator) expand(n *yaml.Node, i int) error {
	c := n.Content[i]
	if c.Kind != yaml.AliasNode {
		return nil
	}
	copied, err := ip.copyNode(yamlpos.Resolve(c), 0)
	if err != nil {
		return err
	}
	n.Content[i] = copied
	return nil
}

func (ip *interpolator) copyNode(n *yaml.Node, depth int) (*yaml.Node, error) {
	if n == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, nil
	}
	ip.nodes++
	if ip.nodes > maxExpandedNodes || depth > 256 {
		return nil, errTooManyNodes
	}
	c := *n
	c.Anchor = ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, e := range n.Content {
		var err error
		if c.Content[i], err = ip.copyNode(yamlpos.Resolve(e), depth+1); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

func (ip *interpolator) scalar(n *yaml.Node, path []string) error {
	if !strings.Contains(n.Value, "$") {
		return nil
	}
	value, err := ip.vars.substitute(n.Value, ip.vars.lookup)
	if err != nil {
		return fmt.Errorf("error while interpolating %s: %w", strings.Join(path, "."), err)
	}
	custom := strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!")
	n.Value = value
	if !custom {
		n.Tag = "!!str"
	}

	cast, ok := ip.caster(path)
	if !ok {
		return nil
	}
	v, err := cast(value)
	if err != nil {
		return fmt.Errorf("error while interpolating %s: failed to cast to expected type: %w",
			strings.Join(path, "."), err)
	}
	n.Style = 0
	switch t := v.(type) {
	case bool:
		n.Tag, n.Value = "!!bool", strconv.FormatBool(t)
	case int:
		n.Tag, n.Value = "!!int", strconv.Itoa(t)
	case int64:
		n.Tag, n.Value = "!!int", strconv.FormatInt(t, 10)
	case float64:
		n.Tag, n.Value = "!!float", strconv.FormatFloat(t, 'g', -1, 64)
	case nil:
		n.Tag, n.Value = "!!null", ""
	default:
		n.Tag, n.Value = "!!str", fmt.Sprint(t)
	}
	return nil
}

func (ip *interpolator) caster(path []string) (interp.Cast, bool) {
	p := tree.NewPath(path...)
	for pattern, cast := range ip.casts {
		if p.Matches(pattern) {
			return cast, true
		}
	}
	return nil, false
}
