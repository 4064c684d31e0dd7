package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/testenv"
)

const sbomAPKDB = "P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\nP:busybox\nV:1.36.1-r2\nA:x86_64\nL:GPL-2.0-only\n"

func runSBOMCommand(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	root := NewRootCommand(strings.NewReader(""), &stdout, &stderr)
	root.SetArgs(append([]string{"sbom"}, args...))
	err := root.ExecuteContext(context.Background())
	return stdout.String(), stderr.String(), err
}

func TestSBOMDockerArchive(t *testing.T) {
	archive := writeDockerArchive(t, map[string]any{},
		scanFile{"etc/os-release", "ID=alpine\nVERSION_ID=3.18.4\n", 0o644},
		scanFile{"lib/apk/db/installed", sbomAPKDB, 0o644})

	out, stderr, err := runSBOMCommand(t, "docker-archive:"+archive)
	require.NoError(t, err, stderr)
	var bom struct {
		SpecVersion string `json:"specVersion"`
		Metadata    struct {
			Component struct {
				Type, Name, Version string
				Properties          []struct{ Name, Value string }
			} `json:"component"`
		} `json:"metadata"`
		Components []struct {
			Name, Version, PURL string
			Properties          []struct{ Name, Value string }
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &bom))
	require.Equal(t, "1.6", bom.SpecVersion)
	require.Equal(t, "container", bom.Metadata.Component.Type)
	// A docker save archive records the config digest but no manifest digest.
	props := bom.Metadata.Component.Properties
	require.Len(t, props, 1)
	require.Equal(t, "dockward:image:config-digest", props[0].Name)
	require.Regexp(t, `^sha256:[0-9a-f]{64}$`, props[0].Value)
	require.Equal(t, props[0].Value, bom.Metadata.Component.Version)
	require.Len(t, bom.Components, 3)
	musl := bom.Components[2]
	require.Equal(t, "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4", musl.PURL)
	require.Contains(t, musl.Properties, struct{ Name, Value string }{"dockward:layer:index", "0"})
}

func TestSBOMRootfsSPDX(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "lib/apk/db"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc/os-release"), []byte("ID=alpine\nVERSION_ID=3.18.4\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lib/apk/db/installed"), []byte(sbomAPKDB), 0o644))
	outFile := filepath.Join(t.TempDir(), "sbom.spdx.json")

	out, stderr, err := runSBOMCommand(t, "--format", "spdx-json", "-o", outFile, "dir:"+dir)
	require.NoError(t, err, stderr)
	require.Empty(t, out)

	data, err := os.ReadFile(outFile)
	require.NoError(t, err)
	doc, err := spdxjson.Read(bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, doc.Packages, 4)
	require.Equal(t, "FILE", doc.Packages[0].PrimaryPackagePurpose)
	require.Equal(t, "busybox", doc.Packages[2].PackageName)
	require.Equal(t, "GPL-2.0-only", doc.Packages[2].PackageLicenseDeclared)
}

func TestSBOMRootfsForm(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "lib/apk/db"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lib/apk/db/installed"), []byte(sbomAPKDB), 0o644))

	out, stderr, err := runSBOMCommand(t, "--format", "json", "rootfs", dir)
	require.NoError(t, err, stderr)
	var inv pkgdb.Inventory
	require.NoError(t, json.Unmarshal([]byte(out), &inv))
	require.Len(t, inv.Packages, 2)
	require.Equal(t, "busybox", inv.Packages[0].Name)
}

func TestSBOMInventoryJSON(t *testing.T) {
	archive := writeDockerArchive(t, map[string]any{},
		scanFile{"lib/apk/db/installed", sbomAPKDB, 0o644})
	out, stderr, err := runSBOMCommand(t, "--format", "json", archive)
	require.NoError(t, err, stderr)
	var inv pkgdb.Inventory
	require.NoError(t, json.Unmarshal([]byte(out), &inv))
	require.Nil(t, inv.OS)
	require.Len(t, inv.Packages, 2)
	require.Equal(t, "Alpine", inv.Packages[0].Ecosystem)
}

func TestSBOMErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "unknown format", args: []string{"--format", "xml", "."}, wantErr: `invalid --format "xml"`},
		{name: "missing path", args: []string{"./does-not-exist"}, wantErr: "image not found"},
		{name: "no image", args: []string{}, wantErr: "accepts between 1 and 2 arg"},
		{name: "two images", args: []string{"a", "b"}, wantErr: "sbom takes one IMAGE, or rootfs DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runSBOMCommand(t, tt.args...)
			require.ErrorContains(t, err, tt.wantErr)
			var ee *ExitError
			if errors.As(err, &ee) {
				require.Equal(t, 2, ee.Code)
			}
		})
	}
}

// TestSBOMDebianImageIntegration compares the SBOM of the Debian test
// image, read from the Docker Engine and from a docker save archive, with
// dpkg-query run inside a container of the same image.
func TestSBOMDebianImageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.DebianImage(t)
	out := d.Output(t, "run", "--rm", "--network", "none", image,
		"dpkg-query", "-W", "-f", "${Package}=${Version}=${db:Status-Status}\n")
	var want []string
	for _, line := range strings.Fields(out) {
		f := strings.Split(line, "=")
		require.Len(t, f, 3, "dpkg-query line %q", line)
		if f[2] != "not-installed" && f[2] != "config-files" {
			want = append(want, f[0]+"="+f[1])
		}
	}
	slices.Sort(want)

	archive := filepath.Join(t.TempDir(), "debian.tar")
	d.Output(t, "save", "-o", archive, image)

	for _, ref := range []string{"docker:" + image, "docker-archive:" + archive} {
		t.Run(ref[:strings.IndexByte(ref, ':')], func(t *testing.T) {
			stdout, stderr, err := runSBOMCommand(t, "--format", "json", ref)
			require.NoError(t, err, stderr)
			var inv pkgdb.Inventory
			require.NoError(t, json.Unmarshal([]byte(stdout), &inv))
			require.Equal(t, "Debian:12", inv.OS.Ecosystem())

			var got []string
			for _, p := range inv.Packages {
				got = append(got, p.Name+"="+p.Version)
				require.Equal(t, 0, p.LayerIndex, "package %s", p.Name)
				require.True(t, strings.HasPrefix(p.LayerDigest, "sha256:"), "package %s", p.Name)
			}
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("packages (-dpkg-query +sbom):\n%s", diff)
			}
		})
	}
}

// TestSBOMScratchGoImageIntegration builds a FROM scratch image holding a
// static Go program (dockward itself) and expects its modules, found at
// the program's path in the image's only layer.
func TestSBOMScratchGoImageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	bin := testenv.StaticBinary(t, "github.com/dockward/dockward/cmd/dockward")
	ctxDir := t.TempDir()
	data, err := os.ReadFile(bin)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(ctxDir, "app"), data, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(ctxDir, "Dockerfile"),
		[]byte("FROM scratch\nCOPY app /usr/local/bin/app\nENTRYPOINT [\"/usr/local/bin/app\"]\n"), 0o644))
	tag := "dockward-test/sbom-scratch-go:" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	d.Output(t, "build", "-q", "--network", "none", "-t", tag, ctxDir)
	t.Cleanup(func() { d.Command(context.Background(), "rmi", "-f", tag).Run() })

	stdout, stderr, err := runSBOMCommand(t, "--format", "json", "docker:"+tag)
	require.NoError(t, err, stderr)
	var inv pkgdb.Inventory
	require.NoError(t, json.Unmarshal([]byte(stdout), &inv))
	require.Nil(t, inv.OS, "a scratch image has no OS release")

	byName := make(map[string]pkgdb.Package)
	for _, p := range inv.Packages {
		require.Equal(t, "golang", p.Type)
		require.Equal(t, "/usr/local/bin/app", p.Path)
		require.Equal(t, 0, p.LayerIndex)
		byName[p.Name] = p
	}
	require.Equal(t, runtime.Version(), byName["stdlib"].Version)
	require.True(t, byName["github.com/dockward/dockward"].Main, "main module missing or not marked")
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-m", "-f", "{{.Version}}",
		"github.com/spf13/cobra").Output()
	require.NoError(t, err)
	cobra := strings.TrimSpace(string(out))
	require.Equal(t, cobra, byName["github.com/spf13/cobra"].Version)
	require.Equal(t, "pkg:golang/github.com/spf13/cobra@"+cobra, byName["github.com/spf13/cobra"].PURL)
}

func TestSBOMWarnsWhenNoPackages(t *testing.T) {
	p := writeDockerArchive(t, nil, scanFile{"bin/busybox", "\x7fELF static", 0o755})
	out, stderr, err := runCommand(t, "sbom", "--format", "json", p)
	require.NoError(t, err)
	require.Contains(t, out, `"packages": []`)
	require.Contains(t, stderr, "no packages found")
}
