// Package manifest holds the analyzers that audit compose files and
// Kubernetes manifests. Each reads its file into the runtime model with
// its reader and judges every container with the runtime rules, so the
// rules are the same as for docker run command lines.
package manifest

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	rt "github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/input/runtime/compose"
	"github.com/dockward/dockward/internal/input/runtime/kube"
	rtrules "github.com/dockward/dockward/internal/rules/runtime"
)

// ComposeAnalyzer audits compose files: files with the names compose looks
// for, and YAML files with a top-level services key.
var ComposeAnalyzer = rtrules.NewAnalyzer("compose", compose.WantsName, func(f *engine.File) bool {
	return compose.WantsName(f.Path) || (isYAML(f.Path) && compose.Detect(f.Data))
}, readCompose)

// KubernetesAnalyzer audits Kubernetes manifests: YAML or JSON files with a
// document that has both apiVersion and kind, such as helm template
// output.
var KubernetesAnalyzer engine.Analyzer = kubernetesAnalyzer{}

// kubernetesAnalyzer is written out, not built with rtrules.NewAnalyzer,
// so that the reader gets the run's logger for its debug records about
// skipped kinds. Seccomp and AppArmor profiles of Kubernetes live on the
// nodes, so the rules get no file reader.
type kubernetesAnalyzer struct{}

func (kubernetesAnalyzer) Name() string { return "kubernetes" }

func (kubernetesAnalyzer) Wants(f *engine.File) bool {
	if f.Binary || (!isYAML(f.Path) && !strings.EqualFold(filepath.Ext(f.Path), ".json")) {
		return false
	}
	return !compose.WantsName(f.Path) && kube.Detect(f.Data)
}

func (kubernetesAnalyzer) Analyze(_ context.Context, f *engine.File, env *engine.Env) engine.Result {
	var logger *slog.Logger
	if env != nil {
		logger = env.Logger
	}
	res := kube.Reader{Logger: logger}.Read(f.Path, f.Data)
	return engine.Result{Findings: rtrules.Audit(res.Containers, nil), Problems: res.Problems}
}

// Analyzers lists the analyzers of this package.
func Analyzers() []engine.Analyzer {
	return []engine.Analyzer{ComposeAnalyzer, KubernetesAnalyzer}
}

func readCompose(f *engine.File) ([]*rt.Container, []finding.Problem) {
	res := compose.Load(context.Background(), f.Path, f.Data, compose.Options{Dir: fileDir(f)})
	return res.Containers, res.Problems
}

func isYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}

// fileDir returns the directory of the file on disk, from which the .env
// file, extends files and Dockerfiles are read, or "" for standard input.
// The engine's report path is the path as given on the command line
// joined with the path inside a walked directory, so it names the file.
func fileDir(f *engine.File) string {
	if f.Path == "-" {
		return ""
	}
	dir, err := filepath.Abs(filepath.Dir(filepath.FromSlash(f.Path)))
	if err != nil {
		return ""
	}
	return dir
}
