package image

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"

	inimage "github.com/dockward/dockward/internal/input/image"
)

// member is one file of a crafted archive or layout.
type member struct {
	name string
	data []byte
}

func tarOf(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)),
			Typeflag: tar.TypeReg}))
		_, err := tw.Write(m.data)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func hashOf(b []byte) v1.Hash {
	h, _ := v1.NewHash(sha256Digest(b))
	return h
}

func blobName(b []byte) string { return "blobs/sha256/" + hashOf(b).Hex }

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// testLayers returns two layer tars: the second deletes /etc/old.
func testLayers(t testing.TB) [][]byte {
	return [][]byte{
		tarOf(t, member{"etc/os-release", []byte("ID=debian\nVERSION_ID=\"12\"\n")}, member{"etc/old", []byte("x")}),
		tarOf(t, member{"etc/.wh.old", nil}, member{"app/run", []byte("#!/bin/sh\n")}),
	}
}

func configFor(t testing.TB, layers [][]byte, arch string) []byte {
	cfg := v1.ConfigFile{OS: "linux", Architecture: arch, Config: v1.Config{User: "app"},
		RootFS: v1.RootFS{Type: "layers"}}
	for _, l := range layers {
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, hashOf(l))
	}
	return mustJSON(t, cfg)
}

// dockerArchive builds a docker save archive with uncompressed layers.
func dockerArchive(t testing.TB, drop string) []byte {
	layers := testLayers(t)
	cfg := configFor(t, layers, "amd64")
	members := []member{{blobName(cfg), cfg}}
	var names []string
	for _, l := range layers {
		names = append(names, blobName(l))
		if blobName(l) != drop {
			members = append(members, member{blobName(l), l})
		}
	}
	manifest := mustJSON(t, []dockerManifestEntry{{Config: blobName(cfg), RepoTags: []string{"test/app:1"}, Layers: names}})
	return tarOf(t, append(members, member{"manifest.json", manifest})...)
}

// ociLayout returns the members of an OCI layout whose index holds a
// nested index with an amd64 and an arm64 image and gzip layers.
func ociLayout(t testing.TB) []member {
	members := []member{{"oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)}}
	var manifests []v1.Descriptor
	for _, arch := range []string{"amd64", "arm64"} {
		layers := testLayers(t)
		cfg := configFor(t, layers, arch)
		m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
			Config: v1.Descriptor{MediaType: types.OCIConfigJSON, Digest: hashOf(cfg), Size: int64(len(cfg))}}
		members = append(members, member{blobName(cfg), cfg})
		for _, l := range layers {
			z := gz(t, l)
			members = append(members, member{blobName(z), z})
			m.Layers = append(m.Layers, v1.Descriptor{MediaType: types.OCILayer, Digest: hashOf(z), Size: int64(len(z))})
		}
		mb := mustJSON(t, m)
		members = append(members, member{blobName(mb), mb})
		manifests = append(manifests, v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: hashOf(mb),
			Size: int64(len(mb)), Platform: &v1.Platform{OS: "linux", Architecture: arch}})
	}
	inner := mustJSON(t, v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: manifests})
	members = append(members, member{blobName(inner), inner})
	outer := v1.IndexManifest{SchemaVersion: 2, Manifests: []v1.Descriptor{{MediaType: types.OCIImageIndex,
		Digest: hashOf(inner), Size: int64(len(inner)),
		Annotations: map[string]string{annotationRefName: "1.0"}}}}
	return append(members, member{"index.json", mustJSON(t, outer)})
}

func writeDir(t testing.TB, members []member) string {
	dir := t.TempDir()
	for _, m := range members {
		p := filepath.Join(dir, m.name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, m.data, 0o644))
	}
	return dir
}

func writeFile(t testing.TB, b []byte) string {
	p := filepath.Join(t.TempDir(), "image.tar")
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return p
}

func readTree(t *testing.T, im *Image) (*inimage.FileTree, string) {
	t.Helper()
	tree, problems, err := im.Tree(context.Background(), inimage.Options{
		Request: func(string, os.FileMode, int64) inimage.Want { return inimage.WantContent }})
	require.NoError(t, err)
	t.Cleanup(func() { tree.Close() })
	var reasons []string
	for _, p := range problems {
		reasons = append(reasons, p.Reason)
	}
	return tree, strings.Join(reasons, "\n")
}

func TestOpenSources(t *testing.T) {
	layoutDir := writeDir(t, ociLayout(t))
	tests := []struct {
		name     string
		ref      string
		kind     string
		platform string
		wantArch string
	}{
		{"docker archive detected", writeFile(t, dockerArchive(t, "")), KindDockerArchive, "", "amd64"},
		{"docker archive prefix", "docker-archive:" + writeFile(t, dockerArchive(t, "")), KindDockerArchive, "", "amd64"},
		{"oci dir detected", layoutDir, KindOCIDir, "", "amd64"},
		{"oci dir arm64", "oci-dir:" + layoutDir, KindOCIDir, "linux/arm64", "arm64"},
		{"oci dir with tag", "oci-dir:" + layoutDir + ":1.0", KindOCIDir, "linux/arm64", "arm64"},
		{"oci archive detected", writeFile(t, tarOf(t, ociLayout(t)...)), KindOCIArchive, "", "amd64"},
		{"oci archive with tag", "oci-archive:" + writeFile(t, tarOf(t, ociLayout(t)...)) + ":1.0", KindOCIArchive,
			"linux/arm64", "arm64"},
		{"docker archive with tag", "docker-archive:" + writeFile(t, dockerArchive(t, "")) + ":test/app:1",
			KindDockerArchive, "", "amd64"},
		{"docker archive for the requested platform", writeFile(t, dockerArchive(t, "")), KindDockerArchive,
			"linux/amd64", "amd64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			im, err := Open(context.Background(), tc.ref, Options{Platform: tc.platform})
			require.NoError(t, err)
			defer im.Close()
			require.Equal(t, tc.kind, im.Kind)
			require.Equal(t, tc.wantArch, im.Config.Architecture)
			require.Len(t, im.Layers, 2)
			require.Equal(t, hashOf(configFor(t, testLayers(t), tc.wantArch)).String(), im.ConfigDigest)
			if tc.kind == KindDockerArchive {
				require.Empty(t, im.Digest, "a docker save archive names no manifest digest")
			} else {
				require.True(t, strings.HasPrefix(im.Digest, "sha256:"), "manifest digest %q", im.Digest)
				require.NotEqual(t, im.ConfigDigest, im.Digest)
			}

			tree, problems := readTree(t, im)
			require.Empty(t, problems)
			e, ok := tree.Lookup("/etc/os-release")
			require.True(t, ok)
			require.Equal(t, 0, e.LayerIndex)
			require.Contains(t, string(e.Content), "ID=debian")
			_, ok = tree.Lookup("/etc/old")
			require.False(t, ok)
			run, ok := tree.Lookup("/app/run")
			require.True(t, ok)
			require.Equal(t, 1, run.LayerIndex)
		})
	}
}

func TestOpenRootfsDir(t *testing.T) {
	dir := writeDir(t, []member{{"etc/os-release", []byte("ID=alpine\n")}})
	for _, ref := range []string{dir, "dir:" + dir} {
		im, err := Open(context.Background(), ref, Options{})
		require.NoError(t, err)
		require.Equal(t, KindDir, im.Kind)
		require.Nil(t, im.Config)
		tree, _ := readTree(t, im)
		e, ok := tree.Lookup("/etc/os-release")
		require.True(t, ok)
		require.Equal(t, "ID=alpine\n", string(e.Content))
		require.NoError(t, im.Close())
	}
}

func TestOpenErrors(t *testing.T) {
	layoutDir := writeDir(t, ociLayout(t))
	layers := testLayers(t)
	tests := []struct {
		name string
		ref  string
		opts Options
		want string
	}{
		{"platform not in index", "oci-dir:" + layoutDir, Options{Platform: "linux/s390x"},
			"no image for platform linux/s390x; available: linux/amd64, linux/arm64; choose one with --platform"},
		{"invalid platform", layoutDir, Options{Platform: "amd64"}, `invalid platform "amd64"`},
		{"single-platform archive for another platform", writeFile(t, dockerArchive(t, "")),
			Options{Platform: "linux/arm64"}, "is for linux/amd64, not the requested linux/arm64"},
		{"missing path", "./no/such/image.tar", Options{}, `no file or directory "./no/such/image.tar"`},
		{"plain tar", writeFile(t, layers[0]), Options{}, "without manifest.json or oci-layout is not an image"},
		{"truncated archive", writeFile(t, dockerArchive(t, "")[:1000]), Options{}, "the file is truncated"},
		{"missing config", writeFile(t, tarOf(t, member{"manifest.json",
			[]byte(`[{"Config":"blobs/sha256/aa","Layers":[]}]`)})), Options{}, "config blob blobs/sha256/aa is missing"},
		{"not a layout", "oci-dir:" + t.TempDir(), Options{}, "the oci-layout file is missing"},
		{"unknown tag", "oci-dir:" + layoutDir + ":2.0", Options{}, `no image tagged "2.0"`},
		{"unknown archive tag", "docker-archive:" + writeFile(t, dockerArchive(t, "")) + ":test/app:2", Options{},
			`no image tagged "test/app:2"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(context.Background(), tc.ref, tc.opts)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestOpenMissingLayerBlob(t *testing.T) {
	layers := testLayers(t)
	im, err := Open(context.Background(), writeFile(t, dockerArchive(t, blobName(layers[1]))), Options{})
	require.NoError(t, err)
	defer im.Close()
	tree, problems := readTree(t, im)
	require.Contains(t, problems, "blob "+blobName(layers[1])+" named by manifest.json is missing")
	_, ok := tree.Lookup("/etc/os-release")
	require.True(t, ok)
}

func TestOpenDigestMismatch(t *testing.T) {
	members := ociLayout(t)
	target := ""
	for i, m := range members {
		if bytes.HasPrefix(m.data, []byte{0x1f, 0x8b}) && (target == "" || m.name == target) {
			target = m.name
			members[i].data = gz(t, tarOf(t, member{"evil", []byte("x")}))
		}
	}
	im, err := Open(context.Background(), writeDir(t, members), Options{})
	require.NoError(t, err)
	defer im.Close()
	_, problems := readTree(t, im)
	require.Contains(t, problems, "blob digest mismatch")
}

func TestSplitKind(t *testing.T) {
	tests := []struct{ ref, kind, rest string }{
		{"docker-archive:a.tar", KindDockerArchive, "a.tar"},
		{"registry:127.0.0.1:5000/a:1", KindRegistry, "127.0.0.1:5000/a:1"},
		{"debian:12", "", "debian:12"},
		{"dir:/", KindDir, "/"},
	}
	for _, tc := range tests {
		kind, rest := SplitKind(tc.ref)
		require.Equal(t, tc.kind, kind, tc.ref)
		require.Equal(t, tc.rest, rest, tc.ref)
	}
}

func TestOpenConfigDigestMismatch(t *testing.T) {
	layers := testLayers(t)
	cfg := configFor(t, layers, "amd64")
	tampered := bytes.Replace(cfg, []byte(`"User":"app"`), []byte(`"User":"bob"`), 1)
	require.NotEqual(t, cfg, tampered)
	manifest := mustJSON(t, []dockerManifestEntry{{Config: blobName(cfg),
		Layers: []string{blobName(layers[0]), blobName(layers[1])}}})
	archive := tarOf(t, member{blobName(cfg), tampered}, member{blobName(layers[0]), layers[0]},
		member{blobName(layers[1]), layers[1]}, member{"manifest.json", manifest})

	// A tampered config must not be read: its User could hide IM001.
	_, err := Open(context.Background(), writeFile(t, archive), Options{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "the manifest names "+sha256Digest(cfg))
	require.Contains(t, err.Error(), "does not read it")
}
