package image

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/testenv"
)

// savedImage writes `docker save` of tag into the test cache, named by
// image ID, so later runs reuse it.
func savedImage(t *testing.T, d *testenv.Docker, tag string) string {
	t.Helper()
	id := strings.TrimPrefix(d.Output(t, "image", "inspect", "--format", "{{.Id}}", tag), "sha256:")
	p := filepath.Join(testenv.CacheDir(t), "docker-save-"+id[:16]+".tar")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	tmp := p + fmt.Sprintf(".%d.tmp", os.Getpid())
	d.Output(t, "save", "-o", tmp, tag)
	require.NoError(t, os.Rename(tmp, p))
	return p
}

// ociLayoutOf converts a docker save archive with skopeo, once per
// archive, to an OCI layout directory (transport "oci") or tar
// ("oci-archive") whose layers use the compression format.
func ociLayoutOf(t *testing.T, archive, transport, format string) string {
	t.Helper()
	skopeo := lookPath(t, "skopeo")
	dest := strings.TrimSuffix(archive, ".tar") + "-" + transport + "-" + format
	if _, err := os.Stat(dest); err == nil {
		return dest
	}
	tmp := dest + fmt.Sprintf(".%d.tmp", os.Getpid())
	out, err := exec.Command(skopeo, "copy", "--dest-compress", "--dest-compress-format", format,
		"docker-archive:"+archive, transport+":"+tmp+":test").CombinedOutput()
	require.NoError(t, err, "skopeo copy: %s", out)
	require.NoError(t, os.Rename(tmp, dest))
	return dest
}

func lookPath(t *testing.T, name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		testenv.Unavailable(t, "%s not installed: %v", name, err)
	}
	return p
}

// summary is what two sources of the same image must agree on.
type summary struct {
	files   []string
	dpkg    []string
	osID    string
	layers  int
	removed int
}

func summarize(t *testing.T, ref string, opts Options) summary {
	t.Helper()
	im, err := Open(context.Background(), ref, opts)
	require.NoError(t, err)
	defer im.Close()
	tree, problems, err := im.Tree(context.Background(), inimage.Options{Request: pkgdb.Request()})
	require.NoError(t, err)
	defer tree.Close()
	for _, p := range problems {
		t.Logf("problem: %s", p.Reason)
	}
	var s summary
	for _, e := range tree.Entries() {
		if e.Mode.IsRegular() && strings.HasPrefix(e.Path, "/usr/") {
			s.files = append(s.files, fmt.Sprintf("%s %d %o", e.Path, e.Size, e.Mode.Perm()))
		}
	}
	inv, _ := pkgdb.Catalog(context.Background(), tree)
	for _, p := range inv.Packages {
		if p.Type == "deb" {
			s.dpkg = append(s.dpkg, p.Name+"="+p.Version)
		}
	}
	if inv.OS != nil {
		s.osID = inv.OS.ID + " " + inv.OS.VersionID
	}
	s.layers = len(im.Layers)
	s.removed = len(tree.Removed())
	return s
}

func TestIntegrationDebianSourcesAgree(t *testing.T) {
	d := testenv.RequireDocker(t)
	tag := testenv.DebianImage(t)
	archive := savedImage(t, d, tag)
	layout := ociLayoutOf(t, archive, "oci", "gzip")
	zstdLayout := ociLayoutOf(t, archive, "oci", "zstd")
	ociArchive := ociLayoutOf(t, archive, "oci-archive", "gzip")

	want := summarize(t, "docker-archive:"+archive, Options{})
	require.Equal(t, "debian 12", want.osID)
	require.Greater(t, len(want.dpkg), 50)
	require.Greater(t, len(want.files), 1000)

	refs := []string{archive, "oci-dir:" + layout, "oci-dir:" + layout + ":test", "oci-dir:" + zstdLayout,
		ociArchive, "oci-archive:" + ociArchive, "docker:" + tag, tag}
	for _, ref := range refs {
		t.Run(ref, func(t *testing.T) {
			got := summarize(t, ref, Options{})
			require.Equal(t, want.osID, got.osID)
			require.Equal(t, want.layers, got.layers)
			require.Empty(t, diffLists(want.dpkg, got.dpkg))
			require.Empty(t, diffLists(want.files, got.files))
		})
	}
}

func TestIntegrationDebianRootfsMatchesDpkgQuery(t *testing.T) {
	d := testenv.RequireDocker(t)
	dir := testenv.DebianRootfs(t)
	s := summarize(t, "dir:"+dir, Options{})
	out := d.Output(t, "run", "--rm", "--network", "none", testenv.DebianImage(t),
		"dpkg-query", "-W", "-f", "${Package}=${Version}\n")
	want := strings.Fields(out)
	slices.Sort(want)
	require.Empty(t, diffLists(want, uniq(s.dpkg)))
}

func uniq(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

// diffLists returns the items only in a or only in b, marked - and +.
func diffLists(a, b []string) []string {
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, s := range a {
		if !mb[s] {
			out = append(out, "-"+s)
		}
	}
	for _, s := range b {
		if !ma[s] {
			out = append(out, "+"+s)
		}
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("... %d more", len(out)-20))
	}
	return out
}

func TestIntegrationBusyboxEngine(t *testing.T) {
	tag := testenv.BusyboxImage(t)
	im, err := Open(context.Background(), tag, Options{})
	require.NoError(t, err)
	defer im.Close()
	require.Equal(t, KindDocker, im.Kind)
	require.Equal(t, []string{"/bin/sh"}, im.Config.Config.Cmd)

	// The image ID is the config digest in the classic image store and
	// the manifest or index digest in the containerd image store.
	id := strings.TrimSpace(testenv.RequireDocker(t).Output(t, "image", "inspect", "-f", "{{.Id}}", tag))
	require.True(t, strings.HasPrefix(im.ConfigDigest, "sha256:"))
	if id == im.ConfigDigest {
		require.Empty(t, im.Digest, "config digest reported as manifest digest")
	} else {
		require.Equal(t, id, im.Digest)
	}
	tree, _, err := im.Tree(context.Background(), inimage.Options{})
	require.NoError(t, err)
	defer tree.Close()
	e, ok := tree.Resolve("/bin/sh")
	require.True(t, ok)
	require.Equal(t, "/bin/busybox", e.Path)
	tmp, ok := tree.Lookup("/tmp")
	require.True(t, ok)
	require.NotZero(t, tmp.Mode&fs.ModeSticky)
}

func TestIntegrationRegistry(t *testing.T) {
	d := testenv.RequireDocker(t)
	registry := lookPath(t, "docker-registry")
	skopeo := lookPath(t, "skopeo")
	archive := savedImage(t, d, testenv.BusyboxImage(t))

	addr := startRegistry(t, registry)
	ref := addr + "/dockward-test/busybox:1"
	out, err := exec.Command(skopeo, "copy", "--dest-tls-verify=false", "docker-archive:"+archive,
		"docker://"+ref).CombinedOutput()
	require.NoError(t, err, "skopeo copy: %s", out)

	want := summarize(t, archive, Options{})
	// go-containerregistry speaks plain HTTP to loopback hosts even
	// without InsecureRegistry, so both settings must work here.
	require.Equal(t, want.layers, summarize(t, "registry:"+ref, Options{}).layers)
	got := summarize(t, "registry:"+ref, Options{InsecureRegistry: true})
	require.Equal(t, want.layers, got.layers)

	im, err := Open(context.Background(), "registry:"+ref, Options{InsecureRegistry: true})
	require.NoError(t, err)
	defer im.Close()
	require.Equal(t, KindRegistry, im.Kind)
	require.True(t, strings.HasPrefix(im.Digest, "sha256:"))
	require.True(t, strings.HasPrefix(im.ConfigDigest, "sha256:"))
	require.NotEqual(t, im.Digest, im.ConfigDigest)
	tree, problems, err := im.Tree(context.Background(), inimage.Options{})
	require.NoError(t, err)
	defer tree.Close()
	require.Empty(t, problems)
	_, ok := tree.Resolve("/bin/sh")
	require.True(t, ok)
}

// startRegistry runs Debian's docker-registry on a free loopback port
// until the test ends and returns host:port.
func startRegistry(t *testing.T, bin string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()

	dir := t.TempDir()
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n"+
		"http:\n  addr: %s\n", filepath.Join(dir, "data"), addr)
	cfgPath := filepath.Join(dir, "config.yml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(cfg), 0o600))
	cmd := exec.Command(bin, "serve", cfgPath)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			return addr
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("docker-registry did not answer on %s", addr)
	return ""
}

func TestIntegrationRegistryPlatform(t *testing.T) {
	registry := lookPath(t, "docker-registry")
	skopeo := lookPath(t, "skopeo")
	testenv.RequireIntegration(t)
	layout := writeDir(t, ociLayout(t))
	addr := startRegistry(t, registry)
	ref := addr + "/dockward-test/multi:1"
	out, err := exec.Command(skopeo, "copy", "--all", "--dest-tls-verify=false", "oci:"+layout+":1.0",
		"docker://"+ref).CombinedOutput()
	require.NoError(t, err, "skopeo copy: %s", out)

	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			im, err := Open(context.Background(), "registry:"+ref, Options{Platform: "linux/" + arch, InsecureRegistry: true})
			require.NoError(t, err)
			defer im.Close()
			require.Equal(t, arch, im.Config.Architecture)
			tree, problems, err := im.Tree(context.Background(), inimage.Options{})
			require.NoError(t, err)
			defer tree.Close()
			require.Empty(t, problems)
			_, ok := tree.Lookup("/app/run")
			require.True(t, ok)
		})
	}
	_, err = Open(context.Background(), "registry:"+ref, Options{Platform: "linux/s390x", InsecureRegistry: true})
	require.Error(t, err)
}
