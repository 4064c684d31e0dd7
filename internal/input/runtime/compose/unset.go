package compose

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/input/yamlpos"
)

// typedKeys are keys whose value compose decodes as a number, duration,
// byte size or port, so that the empty string an undefined variable
// leaves would reject the whole file.
var typedKeys = map[string]bool{
	"interval": true, "timeout": true, "start_period": true, "start_interval": true,
	"retries": true, "stop_grace_period": true, "mem_limit": true, "mem_reservation": true,
	"memswap_limit": true, "mem_swappiness": true, "shm_size": true, "cpus": true,
	"cpu_count": true, "cpu_percent": true, "cpu_shares": true, "cpu_quota": true,
	"cpu_period": true, "cpu_rt_runtime": true, "cpu_rt_period": true, "pids_limit": true,
	"memory": true, "pids": true, "size": true, "replicas": true, "published": true,
	"target": true, "max_attempts": true, "delay": true, "window": true, "monitor": true,
	"oom_score_adj": true, "scale": true, "parallelism": true, "max_failure_ratio": true,
	"max_replicas_per_node": true, "value": true, "mode": true,
}

// typedLists are lists whose items compose decodes as ports, mounts or
// host entries.
var typedLists = map[string]bool{
	"ports": true, "expose": true, "volumes": true, "devices": true, "extra_hosts": true,
}

var wholeVarRE = regexp.MustCompile(`^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$`)

// dropUnsetTyped removes typed values that are exactly one undefined
// variable, such as "interval: $HEALTHCHECK_INTERVAL" without a .env, from
// the copy of the tree that compose-go loads. compose would reject the
// empty value; the position index keeps the original tree, so the reader
// still reports the value as set but unknown. It returns whether the tree
// changed.
func (l *load) dropUnsetTyped(n *yaml.Node, depth int) bool {
	if n == nil || depth > 64 {
		return false
	}
	changed := false
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if typedKeys[k.Value] && l.isUnsetVar(v) {
				n.Content = append(n.Content[:i], n.Content[i+2:]...)
				i -= 2
				changed = true
				continue
			}
			if typedLists[k.Value] && v.Kind == yaml.SequenceNode {
				kept := v.Content[:0]
				for _, item := range v.Content {
					if l.isUnsetItem(item) {
						changed = true
						continue
					}
					kept = append(kept, item)
				}
				v.Content = kept
			}
			changed = l.dropUnsetTyped(v, depth+1) || changed
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			changed = l.dropUnsetTyped(c, depth+1) || changed
		}
	}
	return changed
}

// isUnsetVar reports whether n is a scalar made of one variable that has
// no value, and records the variable as undefined.
func (l *load) isUnsetVar(n *yaml.Node) bool {
	if n == nil || n.Kind != yaml.ScalarNode {
		return false
	}
	m := wholeVarRE.FindStringSubmatch(n.Value)
	if m == nil {
		return false
	}
	name := m[1] + m[2]
	if _, ok := l.vars.lookup(name); ok {
		return false
	}
	l.vars.markUndefined(name)
	return true
}

// copyTree returns a deep copy of a node tree, keeping aliases pointing
// into the copy.
func copyTree(n *yaml.Node) *yaml.Node {
	copies := make(map[*yaml.Node]*yaml.Node)
	var walk func(*yaml.Node) *yaml.Node
	walk = func(n *yaml.Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := copies[n]; ok {
			return c
		}
		c := *n
		copies[n] = &c
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, e := range n.Content {
			c.Content[i] = walk(e)
		}
		c.Alias = walk(n.Alias)
		return &c
	}
	return walk(yamlpos.Resolve(n))
}

var anyVarRE = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// isUnsetItem reports whether a port, mount or device entry is made only
// of undefined variables and separators ("${SRC}:${DST}"), or is a long
// form whose target is one undefined variable.
func (l *load) isUnsetItem(n *yaml.Node) bool {
	if n.Kind == yaml.MappingNode {
		return l.isUnsetVar(yamlpos.Get(n, "target"))
	}
	if n.Kind != yaml.ScalarNode || !anyVarRE.MatchString(n.Value) {
		return false
	}
	unset := true
	rest := anyVarRE.ReplaceAllStringFunc(n.Value, func(ref string) string {
		m := anyVarRE.FindStringSubmatch(ref)
		if _, ok := l.vars.lookup(m[1] + m[2]); ok {
			unset = false
		}
		return ""
	})
	if !unset || strings.Trim(rest, ":") != "" {
		return false
	}
	for _, m := range anyVarRE.FindAllStringSubmatch(n.Value, -1) {
		l.vars.markUndefined(m[1] + m[2])
	}
	return true
}
