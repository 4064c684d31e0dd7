package compose

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/transform"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadProject loads a project as loader.LoadWithContext does, except that
// it applies compose-go's default values (transform.DefaultValues) to a
// view of the model that contains only the paths of their patterns.
// compose-go matches every node of the whole model against every pattern,
// which took about 6% of the CPU time of the compose benchmarks in
// internal/rules/manifest. The defaults run after compose-go's validation
// and normalisation instead of before. In compose-go v2.16.2 neither of
// those reads or sets the values that the defaults fill in: port protocol
// and mode, build context, secret target, device count and bind
// create_host_path.
func loadProject(ctx context.Context, details types.ConfigDetails, option func(*loader.Options)) (*types.Project, error) {
	options := func(o *loader.Options) {
		option(o)
		o.SkipDefaultValues = true
	}
	if details.Environment == nil {
		// compose-go writes COMPOSE_PROJECT_NAME into the environment,
		// which must be the map that the project gets.
		details.Environment = types.Mapping{}
	}
	model, err := loader.LoadModelWithContext(ctx, details, options)
	if err != nil {
		return nil, err
	}
	if err := setDefaultValues(model); err != nil {
		return nil, err
	}
	return loader.ModelToProject(model, loader.ToOptions(&details, []func(*loader.Options){options}), details)
}

// patternNode is a node of the tree of path parts of the patterns in
// transform.DefaultValues. A pattern ends at a node with end set, so the
// whole value at that path goes to the defaults.
type patternNode struct {
	children map[string]*patternNode
	end      bool
}

// defaultPatterns is the tree of the patterns of transform.DefaultValues,
// built on first use.
var defaultPatterns = sync.OnceValue(func() *patternNode {
	return newPatternTree(slices.Collect(maps.Keys(transform.DefaultValues)))
})

func newPatternTree(patterns []tree.Path) *patternNode {
	root := &patternNode{}
	for _, pattern := range patterns {
		n := root
		for _, part := range strings.Split(string(pattern), ".") {
			if part == tree.PathMatchList {
				part = tree.PathMatchAll
			}
			if n.children == nil {
				n.children = make(map[string]*patternNode)
			}
			if n.children[part] == nil {
				n.children[part] = &patternNode{}
			}
			n = n.children[part]
		}
		n.end = true
	}
	return root
}

// child returns the node for a mapping key or a sequence item (*), or nil
// when no pattern continues there. A key that both a named part and * lead
// to returns a node that keeps the whole value, since the patterns below
// either may apply.
func (n *patternNode) child(key string) *patternNode {
	named, wildcard := n.children[key], n.children[tree.PathMatchAll]
	switch {
	case named != nil && wildcard != nil && key != tree.PathMatchAll:
		return &patternNode{end: true}
	case named != nil:
		return named
	default:
		return wildcard
	}
}

// setDefaultValues runs transform.SetDefaultValues on a view of model that
// holds only the values on the paths of its patterns, and writes the
// results back into model.
func setDefaultValues(model map[string]any) error {
	patterns := defaultPatterns()
	view, _ := pruneToPatterns(model, patterns).(map[string]any)
	view, err := transform.SetDefaultValues(view)
	if err != nil {
		return err
	}
	writeBack(model, view, patterns)
	return nil
}

// pruneToPatterns returns a copy of the mappings and sequences of value
// that keeps only the entries on a path of n. A value at the end of a
// pattern is shared, not copied.
func pruneToPatterns(value any, n *patternNode) any {
	if n.end {
		return value
	}
	switch v := value.(type) {
	case map[string]any:
		out := make(map[string]any)
		for key, entry := range v {
			if c := n.child(key); c != nil {
				out[key] = pruneToPatterns(entry, c)
			}
		}
		return out
	case []any:
		c := n.child(tree.PathMatchAll)
		if c == nil {
			return []any{}
		}
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = pruneToPatterns(item, c)
		}
		return out
	default:
		return value
	}
}

// writeBack stores the values of view at the ends of the patterns into
// model, for a default that returns a new value instead of changing the
// one it got. It returns model, or the value of view at the end of a
// pattern.
func writeBack(model, view any, n *patternNode) any {
	if n.end {
		return view
	}
	switch m := model.(type) {
	case map[string]any:
		v, _ := view.(map[string]any)
		for key, entry := range v {
			if c := n.child(key); c != nil {
				m[key] = writeBack(m[key], entry, c)
			}
		}
	case []any:
		v, _ := view.([]any)
		c := n.child(tree.PathMatchAll)
		if c == nil || len(v) != len(m) {
			return model
		}
		for i := range m {
			m[i] = writeBack(m[i], v[i], c)
		}
	}
	return model
}
