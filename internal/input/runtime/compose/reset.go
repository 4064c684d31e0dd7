package compose

import (
	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/input/yamlpos"
)

// flattenResetMerges writes out the merge key of every mapping that also
// resets a key with !reset, so the mapping holds the merged keys itself.
// compose-go removes a !reset key before YAML applies the merge key, so
// the merge would bring the inherited value back. Compose documents that
// !reset removes the inherited value, which holds once no merge key is
// left to restore it. It reports whether the tree changed.
func flattenResetMerges(n *yaml.Node, depth int) bool {
	if n == nil || depth > maxTreeDepth {
		return false
	}
	changed := false
	if n.Kind == yaml.MappingNode && hasMergeKey(n) && hasResetValue(n) {
		var content []*yaml.Node
		for _, p := range yamlpos.Pairs(n) {
			value := p.Value
			if !ownsValue(n, p.Value) {
				value = copyTree(p.Value)
				clearAnchors(value, 0)
			}
			content = append(content, p.Key, value)
		}
		n.Content = content
		changed = true
	}
	for _, c := range n.Content {
		if c.Kind != yaml.AliasNode && flattenResetMerges(c, depth+1) {
			changed = true
		}
	}
	return changed
}

// maxTreeDepth bounds the recursion over untrusted YAML trees.
const maxTreeDepth = 256

func hasMergeKey(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if yamlpos.IsMergeKey(m.Content[i]) {
			return true
		}
	}
	return false
}

func hasResetValue(m *yaml.Node) bool {
	for i := 1; i < len(m.Content); i += 2 {
		if m.Content[i].Tag == "!reset" {
			return true
		}
	}
	return false
}

// ownsValue reports whether v is the value of one of m's own keys.
func ownsValue(m, v *yaml.Node) bool {
	for i := 1; i < len(m.Content); i += 2 {
		if yamlpos.Resolve(m.Content[i]) == v {
			return true
		}
	}
	return false
}

// clearAnchors removes the anchors of a copied tree, so that writing it
// out does not define an anchor a second time.
func clearAnchors(n *yaml.Node, depth int) {
	if n == nil || depth > maxTreeDepth {
		return
	}
	n.Anchor = ""
	for _, c := range n.Content {
		clearAnchors(c, depth+1)
	}
}
