package compose

import (
	"context"
	"maps"
	"runtime"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/dockward/dockward/internal/input/yamlpos"
)

// minParallelServices is the number of services from which a file is
// loaded in parts on several cores. The value is an estimate: every part
// decodes the whole tree, which is small next to loading 1,000 services.
const minParallelServices = 1000

// maxParts bounds the parts, because each one decodes the whole tree.
const maxParts = 8

// composeParallel loads a large prepared tree in parts, one goroutine per
// core, because compose-go loads a file on one goroutine and takes most
// of the time. A service and every service it extends stay in one part.
// It returns nil when the file is not split or a part fails, so that the
// caller loads the whole file and reports its errors as usual.
func (l *load) composeParallel(ctx context.Context, data source) *types.Project {
	workers := min(runtime.GOMAXPROCS(0), maxParts)
	if data.tree == nil || workers < 2 {
		return nil
	}
	parts := splitServices(yamlpos.Get(data.tree, "services"), workers)
	if len(parts) < 2 {
		return nil
	}

	projects := make([]*types.Project, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, only := range parts {
		wg.Go(func() {
			projects[i], errs[i] = l.composeOnce(ctx, source{tree: data.tree, only: only}, false)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil
		}
	}

	merged := projects[0]
	for _, p := range projects[1:] {
		maps.Copy(merged.Services, p.Services)
		if len(p.DisabledServices) > 0 {
			if merged.DisabledServices == nil {
				merged.DisabledServices = types.Services{}
			}
			maps.Copy(merged.DisabledServices, p.DisabledServices)
		}
	}
	return merged
}

// splitServices divides the services of a mapping into at most n parts
// of similar size, keeping each extends chain in one part. It returns nil
// for fewer than minParallelServices services.
func splitServices(services *yaml.Node, n int) []map[string]bool {
	pairs := yamlpos.Pairs(services)
	if len(pairs) < minParallelServices {
		return nil
	}
	extends := make(map[string]string, len(pairs))
	for _, p := range pairs {
		// The prepared tree reaches here only when every extends is the
		// short form, a service name in the same file.
		extends[p.Key.Value] = yamlpos.ScalarValue(yamlpos.Get(p.Value, "extends"))
	}

	groups := make(map[string][]string) // chain base -> services
	var bases []string
	for _, p := range pairs {
		base := chainBase(p.Key.Value, extends)
		if _, ok := groups[base]; !ok {
			bases = append(bases, base)
		}
		groups[base] = append(groups[base], p.Key.Value)
	}

	parts := make([]map[string]bool, n)
	for i := range parts {
		parts[i] = make(map[string]bool)
	}
	for _, base := range bases {
		smallest := 0
		for i := range parts {
			if len(parts[i]) < len(parts[smallest]) {
				smallest = i
			}
		}
		for _, name := range groups[base] {
			parts[smallest][name] = true
		}
		// A base named by extends but not defined goes with its
		// services, so that part fails and the caller loads the whole
		// file, which reports the missing base as usual.
		parts[smallest][base] = true
	}
	return parts
}

// chainBase follows extends from name to the service at the end of the
// chain. A cycle ends at the first service seen twice.
func chainBase(name string, extends map[string]string) string {
	seen := map[string]bool{name: true}
	for {
		next := extends[name]
		if next == "" || seen[next] {
			return name
		}
		seen[next] = true
		name = next
	}
}
