// Package rules combines the rule sets of every analyzer into the one
// registry that the CLI, the engine and the documentation use.
package rules

import (
	"sync"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/rule"
	aarules "github.com/dockward/dockward/internal/rules/apparmor"
	dfrules "github.com/dockward/dockward/internal/rules/dockerfile"
	imrules "github.com/dockward/dockward/internal/rules/image"
	"github.com/dockward/dockward/internal/rules/manifest"
	"github.com/dockward/dockward/internal/rules/meta"
	rtrules "github.com/dockward/dockward/internal/rules/runtime"
	scrules "github.com/dockward/dockward/internal/rules/seccomp"
	secretrules "github.com/dockward/dockward/internal/rules/secrets"
)

// sets lists every rule set. Each analyzer package exports its own list;
// add new ones here.
var sets = [][]*rule.Rule{
	meta.Rules,
	dfrules.Rules,
	secretrules.Rules,
	imrules.Rules,
	rtrules.Rules,
	scrules.Rules, aarules.Rules,
}

// Registry returns the registry of every rule, built once. It panics on
// duplicate IDs, which a test catches before release.
func Registry() *rule.Registry { return registry() }

var registry = sync.OnceValue(func() *rule.Registry {
	var all []*rule.Rule
	for _, s := range sets {
		all = append(all, s...)
	}
	reg, err := rule.NewRegistry(all...)
	if err != nil {
		panic(err)
	}
	return reg
})

// Analyzers returns every file analyzer in the order they run.
func Analyzers() []engine.Analyzer {
	return []engine.Analyzer{
		dfrules.Analyzer{},
		scrules.Analyzer{}, aarules.Analyzer{},
		secretrules.Analyzer{},
		rtrules.ShellAnalyzer, rtrules.MakefileAnalyzer, rtrules.CIAnalyzer, rtrules.MarkdownAnalyzer, rtrules.SystemdAnalyzer, rtrules.InspectAnalyzer,
		manifest.ComposeAnalyzer, manifest.KubernetesAnalyzer,
	}
}
