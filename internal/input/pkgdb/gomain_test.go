package pkgdb

import (
	"context"
	"debug/buildinfo"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

func TestGoMainVersion(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "a14e67a9926013664a246c2e01cc5440a7901b14"},
		{Key: "vcs.time", Value: "2026-12-04T18:31:43Z"},
	}
	ldflags := func(v string) debug.BuildSetting { return debug.BuildSetting{Key: "-ldflags", Value: v} }
	tests := []struct {
		name     string
		version  string
		settings []debug.BuildSetting
		want     string
	}{
		{name: "release", version: "v1.2.3", want: "v1.2.3"},
		{name: "tagged and modified", version: "v1.2.3+dirty", want: "v1.2.3+dirty"},
		{name: "devel without vcs", version: "(devel)", want: ""},
		{name: "empty", version: "", want: ""},
		{name: "devel with vcs", version: "(devel)", settings: vcs,
			want: "v0.0.0-20261204183143-a14e67a99260"},
		{name: "devel with modified vcs", version: "(devel)",
			settings: append(vcs[:3:3], debug.BuildSetting{Key: "vcs.modified", Value: "true"}),
			want:     "v0.0.0-20261204183143-a14e67a99260+dirty"},
		{name: "devel with short revision", version: "(devel)",
			settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "1234"}, vcs[2]}, want: ""},
		{name: "devel with bad time", version: "(devel)",
			settings: []debug.BuildSetting{vcs[1], {Key: "vcs.time", Value: "yesterday"}}, want: ""},
		{name: "pseudo-version", version: "v0.0.0-20261204183143-a14e67a99260", settings: vcs,
			want: "v0.0.0-20261204183143-a14e67a99260"},
		{name: "ldflags over pseudo-version", version: "v1.2.4-0.20261204183143-a14e67a99260+dirty",
			settings: []debug.BuildSetting{ldflags("-s -w -X main.version=1.3.0")}, want: "v1.3.0"},
		{name: "ldflags over devel", version: "(devel)",
			settings: []debug.BuildSetting{ldflags("-X=main.Version=v2.0.0-rc.1"), vcs[1], vcs[2]},
			want:     "v2.0.0-rc.1"},
		{name: "ldflags in module package", version: "(devel)",
			settings: []debug.BuildSetting{ldflags("-X 'example.com/hello/internal/build.Version=0.9.1'")},
			want:     "v0.9.1"},
		{name: "release wins over ldflags", version: "v1.2.3",
			settings: []debug.BuildSetting{ldflags("-X main.version=9.9.9")}, want: "v1.2.3"},
		{name: "ldflags not a version", version: "(devel)",
			settings: []debug.BuildSetting{ldflags("-X main.version=dev -X main.commit=1.2.3")}, want: ""},
		{name: "ldflags in other module", version: "(devel)",
			settings: []debug.BuildSetting{ldflags("-X example.org/lib.Version=1.0.0")}, want: ""},
		{name: "ldflags flag without value", version: "(devel)",
			settings: []debug.BuildSetting{ldflags("-s -X")}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bi := &buildinfo.BuildInfo{Main: debug.Module{Path: "example.com/hello", Version: tt.version},
				Settings: tt.settings}
			require.Equal(t, tt.want, goMainVersion(bi))
		})
	}
}

func TestGoPackagesMainModule(t *testing.T) {
	bi := &buildinfo.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "example.com/hello", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "golang.org/x/text", Version: "v0.3.5"},
			{Path: "example.com/local", Version: "(devel)"},
			nil,
		},
	}
	pkgs := goPackages(bi)
	require.Len(t, pkgs, 3)
	require.Equal(t, Package{Name: "stdlib", Version: "go1.26.8", Type: "golang", GoVersion: "go1.26.8"}, pkgs[0])
	require.Equal(t, Package{Name: "example.com/hello", Type: "golang", GoVersion: "go1.26.8", Main: true}, pkgs[1])
	require.Equal(t, "golang.org/x/text", pkgs[2].Name)
	require.False(t, pkgs[2].Main)

	// Binaries built outside module mode record no main module path.
	pkgs = goPackages(&buildinfo.BuildInfo{GoVersion: "go1.26.8"})
	require.Len(t, pkgs, 1)
	require.Equal(t, "stdlib", pkgs[0].Name)
}

// TestGoMainModuleBuildIntegration builds a small module with the local Go
// toolchain outside and inside a git repository, with and without a tag,
// and reads the main module's version and PURL back from the binary.
func TestGoMainModuleBuildIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	gitTool, err := exec.LookPath("git")
	if err != nil {
		testenv.Unavailable(t, "git not found: install Debian's git")
	}
	commitTime := time.Date(2026, 3, 1, 12, 30, 45, 0, time.UTC)

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/hello\n\ngo 1.24\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"),
		[]byte("package main\n\nvar version string\n\nfunc main() { println(\"hello\", version) }\n"), 0o644))

	// GOFLAGS replaces a -buildvcs=false from the user's go env file.
	env := append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=auto", "GOTOOLCHAIN=local",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_AUTHOR_DATE="+commitTime.Format(time.RFC3339), "GIT_COMMITTER_DATE="+commitTime.Format(time.RFC3339))
	run := func(name string, args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %s: %s", name, strings.Join(args, " "), out)
		return strings.TrimSpace(string(out))
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	mainModule := func(ldflags string) Package {
		// Go omits -ldflags from build information under -trimpath, so
		// this build keeps paths. The binary is written outside the work
		// tree, which stays clean.
		bin := filepath.Join(t.TempDir(), "hello")
		run(goTool, "build", "-ldflags="+ldflags, "-o", bin, ".")
		data, err := os.ReadFile(bin)
		require.NoError(t, err)
		tree := newMemTree(t, memFile{path: "/hello", content: data, mode: 0o755, layer: 0})
		inv, problems := Catalog(context.Background(), tree)
		require.Empty(t, problems)
		for _, p := range inv.Packages {
			if p.Main {
				return p
			}
		}
		t.Fatalf("no main module in %+v", inv.Packages)
		return Package{}
	}

	t.Run("outside a repository", func(t *testing.T) {
		p := mainModule("")
		require.Equal(t, "example.com/hello", p.Name)
		require.Empty(t, p.Version)
		require.Equal(t, "pkg:golang/example.com/hello", p.PURL)
		require.Equal(t, "Go", p.Ecosystem)
	})

	run(gitTool, "init", "-q", ".")
	run(gitTool, "add", "go.mod", "main.go")
	run(gitTool, "commit", "-q", "-m", "hello")
	revision := run(gitTool, "rev-parse", "HEAD")
	pseudo := "v0.0.0-20260301123045-" + revision[:12]

	t.Run("untagged commit", func(t *testing.T) {
		p := mainModule("")
		require.Equal(t, pseudo, p.Version)
		require.Equal(t, "pkg:golang/example.com/hello@"+pseudo, p.PURL)
	})
	t.Run("untagged commit with ldflags version", func(t *testing.T) {
		p := mainModule("-X main.version=1.4.0")
		require.Equal(t, "v1.4.0", p.Version)
	})

	run(gitTool, "tag", "v1.2.3")
	t.Run("tagged commit", func(t *testing.T) {
		p := mainModule("")
		require.Equal(t, "v1.2.3", p.Version)
		require.Equal(t, "pkg:golang/example.com/hello@v1.2.3", p.PURL)
	})
}
