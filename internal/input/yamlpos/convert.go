package yamlpos

import (
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// JSON encodes the value of n as JSON, so that types with JSON tags (the
// Kubernetes API types) can decode it. Aliases and merge keys are
// expanded; mapping keys that are not strings are formatted as text, as
// sigs.k8s.io/yaml does.
func JSON(n *yaml.Node) ([]byte, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(stringKeys(v, 0))
}

func stringKeys(v any, depth int) any {
	if depth > 10000 {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = stringKeys(e, depth+1)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = stringKeys(e, depth+1)
		}
		return m
	case []any:
		for i, e := range t {
			t[i] = stringKeys(e, depth+1)
		}
		return t
	}
	return v
}
