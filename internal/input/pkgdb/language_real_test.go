package pkgdb

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/testenv"
)

// catalogDir catalogues a directory through the image engine's directory
// reader and returns "type name@version" for each package, without
// duplicates.
func catalogDir(t *testing.T, dir string) []string {
	t.Helper()
	ctx := context.Background()
	tree, _, err := image.ReadDir(ctx, dir, image.Options{Request: Request()})
	require.NoError(t, err)
	defer tree.Close()
	inv, problems := Catalog(ctx, tree)
	require.Empty(t, problems)
	var out []string
	for _, p := range inv.Packages {
		out = append(out, p.Type+" "+p.Name+"@"+p.Version)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestCatalogNPMInstallIntegration installs a package with npm from the
// npm registry and compares the catalogue with npm ls.
func TestCatalogNPMInstallIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	npm, err := exec.LookPath("npm")
	if err != nil {
		testenv.Unavailable(t, "npm not found: install Debian's npm")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	install := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--prefix", dir,
		"express@4.17.1", "@babel/helper-validator-identifier@7.22.20")
	if out, err := install.CombinedOutput(); err != nil {
		testenv.Unavailable(t, "npm install failed (is the npm registry reachable?): %v\n%s", err, out)
	}

	out, err := exec.CommandContext(ctx, npm, "ls", "--all", "--json", "--prefix", dir).Output()
	require.NoError(t, err)
	type node struct {
		Version      string          `json:"version"`
		Dependencies map[string]node `json:"dependencies"`
	}
	var root node
	require.NoError(t, json.Unmarshal(out, &root))
	var want []string
	var walk func(map[string]node)
	walk = func(deps map[string]node) {
		for name, n := range deps {
			want = append(want, "npm "+name+"@"+n.Version)
			walk(n.Dependencies)
		}
	}
	walk(root.Dependencies)
	slices.Sort(want)
	want = slices.Compact(want)
	require.Greater(t, len(want), 40, "express 4.17.1 has dozens of dependencies")

	if diff := cmp.Diff(want, catalogDir(t, dir)); diff != "" {
		t.Errorf("packages (-npm ls +catalog):\n%s", diff)
	}
}

// TestCatalogPythonSitePackagesIntegration compares the catalogue of the
// site-packages directories of the Python on this machine with the
// distributions that importlib.metadata finds there.
func TestCatalogPythonSitePackagesIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	python, err := exec.LookPath("python3")
	if err != nil {
		testenv.Unavailable(t, "python3 not found")
	}
	const script = `import importlib.metadata as m, json, site, sys
dirs = [p for p in site.getsitepackages() + [site.getusersitepackages()] if p in sys.path]
out = {}
for d in dirs:
    out[d] = sorted({"pypi %s@%s" % (x.metadata["Name"], x.version) for x in m.distributions(path=[d])})
print(json.dumps(out))`
	out, err := exec.Command(python, "-c", script).Output()
	require.NoError(t, err)
	var dirs map[string][]string
	require.NoError(t, json.Unmarshal(out, &dirs))

	checked := 0
	for dir, want := range dirs {
		if len(want) == 0 {
			continue
		}
		checked++
		t.Run(dir, func(t *testing.T) {
			// The directory's parent is the root, so paths keep their
			// site-packages or dist-packages segment.
			got := catalogDir(t, filepath.Dir(dir))
			var pypi []string
			prefix := "pypi "
			for _, g := range got {
				if strings.HasPrefix(g, prefix) {
					pypi = append(pypi, g)
				}
			}
			if diff := cmp.Diff(want, pypi); diff != "" {
				t.Errorf("distributions (-importlib +catalog):\n%s", diff)
			}
		})
	}
	if checked == 0 {
		testenv.Unavailable(t, "no Python site-packages directory with distributions")
	}
}
