package pkgdb

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/testenv"
)

// TestCatalogDebianRootfsIntegration checks the dpkg cataloger against
// dpkg-query on the same debootstrap root file system, read through the
// image engine's directory reader.
func TestCatalogDebianRootfsIntegration(t *testing.T) {
	dir := testenv.DebianRootfs(t)
	dpkgQuery, err := exec.LookPath("dpkg-query")
	if err != nil {
		testenv.Unavailable(t, "dpkg-query not found: install Debian's dpkg")
	}

	// --admindir makes the host's dpkg-query read the root file system's
	// database, so nothing from it is executed.
	out, err := exec.Command(dpkgQuery, "--admindir="+filepath.Join(dir, "var/lib/dpkg"), "-W",
		"-f=${Package} ${Version} ${db:Status-Status}\n").Output()
	require.NoError(t, err)
	var want []string
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		require.Len(t, f, 3, "dpkg-query line %q", line)
		if f[2] != "not-installed" && f[2] != "config-files" {
			want = append(want, f[0]+" "+f[1])
		}
	}
	slices.Sort(want)
	require.Greater(t, len(want), 50, "a minbase system has more packages")

	ctx := context.Background()
	tree, _, err := image.ReadDir(ctx, dir, image.Options{Request: Request()})
	require.NoError(t, err)
	defer tree.Close()
	inv, problems := Catalog(ctx, tree)
	require.Empty(t, problems)
	require.Equal(t, "debian", inv.OS.ID)
	require.Equal(t, "12", inv.OS.VersionID)

	var got []string
	for _, p := range inv.Packages {
		require.Equal(t, "deb", p.Type, "package %s", p.Name)
		got = append(got, p.Name+" "+p.Version)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-dpkg-query +catalog):\n%s", diff)
	}
}

// goBuild builds a program that uses golang.org/x/text at v0.3.5 through
// the Go module proxy and returns the binary.
func goBuild(t *testing.T, ldflags string) []byte {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("go.mod", "module example.com/textapp\n\ngo 1.22\n")
	write("main.go", `package main

import (
	"fmt"

	"golang.org/x/text/language"
)

func main() {
	tag, err := language.Parse("de-CH")
	fmt.Println(tag, err)
}
`)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(args ...string) {
		cmd := exec.CommandContext(ctx, filepath.Join(runtime.GOROOT(), "bin", "go"), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod -buildvcs=false")
		out, err := cmd.CombinedOutput()
		if err != nil && bytes.Contains(out, []byte("dial tcp")) {
			testenv.Unavailable(t, "Go module proxy unreachable: %s", out)
		}
		require.NoError(t, err, "go %s: %s", strings.Join(args, " "), out)
	}
	run("get", "golang.org/x/text@v0.3.5")
	run("build", "-trimpath", "-ldflags="+ldflags, "-o", "app", ".")
	data, err := os.ReadFile(filepath.Join(dir, "app"))
	require.NoError(t, err)
	return data
}

func TestGoBinaryIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	for _, tt := range []struct{ name, ldflags string }{
		{name: "with symbol table", ldflags: ""},
		{name: "stripped", ldflags: "-s -w"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bin := goBuild(t, tt.ldflags)
			tree := newMemTree(t, memFile{path: "/app", content: bin, mode: 0o755, layer: 1})
			inv, problems := Catalog(context.Background(), tree)
			require.Empty(t, problems)

			var got []string
			for _, p := range inv.Packages {
				got = append(got, p.PURL+" "+p.Ecosystem+" "+p.GoVersion)
			}
			goVersion := runtime.Version()
			want := []string{
				"pkg:golang/example.com/textapp Go " + goVersion,
				"pkg:golang/golang.org/x/text@v0.3.5 Go " + goVersion,
				"pkg:golang/stdlib@" + goVersion + " Go " + goVersion,
			}
			require.Equal(t, want, got)

			app, text, stdlib := inv.Packages[0], inv.Packages[1], inv.Packages[2]
			require.True(t, app.Main, "main module not marked")
			require.False(t, text.Main, "dependency marked as main module")
			require.False(t, stdlib.Main, "stdlib marked as main module")
			// language.Parse is inlined into main; the method it calls is not.
			for _, sym := range []string{
				"golang.org/x/text/language.CanonType.Parse",
				"golang.org/x/text/internal/language.Parse",
				"golang.org/x/text/language.Tag.String",
			} {
				require.True(t, slices.Contains(text.Symbols, sym), "symbol %s missing", sym)
			}
			require.False(t, slices.Contains(text.Symbols, "golang.org/x/text/unicode/norm.Form.String"),
				"norm is never linked by this program")
			require.True(t, slices.Contains(stdlib.Symbols, "fmt.Fprintln"), "symbol fmt.Fprintln missing")
			require.True(t, slices.Contains(stdlib.Symbols, "internal/sync.HashTrieMap.Load"),
				"generic method internal/sync.HashTrieMap.Load missing")
			for _, s := range text.Symbols {
				require.True(t, strings.HasPrefix(s, "golang.org/x/text/"), "symbol %q", s)
			}
		})
	}
}

// TestGoBinaryMatchesGoVersionIntegration compares the modules catalogued
// from a static build of dockward itself with what `go version -m`
// prints for the same file.
func TestGoBinaryMatchesGoVersionIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	bin := testenv.StaticBinary(t, "github.com/dockward/dockward/cmd/dockward")
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "version", "-m", bin).Output()
	require.NoError(t, err)

	var want []string
	for line := range strings.SplitSeq(string(out), "\n") {
		f := strings.Split(strings.TrimSpace(line), "\t")
		switch {
		case len(f) == 1 && strings.HasSuffix(f[0], ": "+runtime.Version()):
			want = append(want, "stdlib "+runtime.Version())
		case len(f) >= 3 && f[0] == "dep":
			want = append(want, f[1]+" "+f[2])
		case len(f) >= 3 && f[0] == "mod" && f[2] != "(devel)":
			// A build with VCS stamping gives the main module a version.
			want = append(want, f[1]+" "+f[2])
		case len(f) >= 3 && f[0] == "mod":
			// This build sets no version with -ldflags, and "(devel)"
			// with no vcs settings leaves the main module without one.
			require.NotContains(t, string(out), "vcs.revision=")
			want = append(want, f[1]+" ")
		case len(f) >= 3 && f[0] == "=>":
			want[len(want)-1] = f[1] + " " + f[2] // replacement of the dep above
		}
	}
	slices.Sort(want)
	require.Greater(t, len(want), 20)

	f, err := os.Open(bin)
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	pkgs, err := ParseBinary(f, st.Size())
	require.NoError(t, err)
	var got []string
	for _, p := range pkgs {
		got = append(got, p.Name+" "+p.Version)
		require.Equal(t, runtime.Version(), p.GoVersion)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("modules (-go version -m +catalog):\n%s", diff)
	}
}
