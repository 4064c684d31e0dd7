package secrets

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// layer builds an uncompressed layer from name-content pairs; an empty
// content with a ".wh." name is a whiteout.
func layer(t *testing.T, files ...[2]string) inimage.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])),
			Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(f[1]))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	blob := buf.Bytes()
	sum := sha256.Sum256(blob)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	return inimage.Layer{DiffID: digest, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(blob)), nil
	}}
}

func TestScanTreeFindsLayersAndDeletedFiles(t *testing.T) {
	plants := secrettest.Plants(5)
	var layer0 [][2]string
	for _, p := range plants {
		layer0 = append(layer0, [2]string{"app/" + p.Path, p.Content})
	}
	token := secrettest.NewGenerator(9).GitHubToken("ghp_")
	layer0 = append(layer0, [2]string{"root/.env", "GITHUB_TOKEN=" + token + "\n"},
		[2]string{"usr/share/doc/pkg/README", "GITHUB_TOKEN=" + token + "\n"},
		[2]string{"app/node_modules/pkg/test/key.env", "GITHUB_TOKEN=" + token + "\n"},
		[2]string{"usr/lib/python3/dist-packages/pkg/conf.py", "TOKEN = '" + token + "'\n"})
	layer1 := layer(t, [2]string{"root/.wh..env", ""})

	tree, problems, err := inimage.Read(context.Background(),
		[]inimage.Layer{layer(t, layer0...), layer1}, inimage.Options{Request: Request, Name: "app:test"})
	require.NoError(t, err)
	require.Empty(t, problems)
	defer tree.Close()

	fs := ScanTree(context.Background(), tree, TreeOptions{Image: "app:test"})
	byPath := map[string][]string{}
	for _, f := range fs {
		byPath[f.Location.ImagePath] = append(byPath[f.Location.ImagePath], f.RuleID)
		require.Equal(t, "app:test", f.Location.Image)
		require.NotNil(t, f.Location.LayerIndex)
		require.NotEmpty(t, f.Location.Layer)
		for _, p := range plants {
			require.NotContains(t, f.Message, p.Secret)
		}
		require.NotContains(t, f.Message, token)
	}
	for _, p := range plants {
		require.Contains(t, byPath["/app/"+p.Path], p.RuleID, "planted in /app/%s", p.Path)
	}
	require.Equal(t, []string{"SE010"}, byPath["/root/.env"])
	require.Empty(t, byPath["/usr/share/doc/pkg/README"])
	require.Empty(t, byPath["/app/node_modules/pkg/test/key.env"])
	require.Empty(t, byPath["/usr/lib/python3/dist-packages/pkg/conf.py"])
	for _, f := range fs {
		if f.Location.ImagePath == "/root/.env" {
			require.Contains(t, f.Message, "deleted or replaced in layer 1")
			require.Equal(t, 0, *f.Location.LayerIndex)
		}
	}
}

func TestScanTreeSkip(t *testing.T) {
	token := secrettest.NewGenerator(9).GitHubToken("ghp_")
	tree, _, err := inimage.Read(context.Background(),
		[]inimage.Layer{layer(t, [2]string{"root/.npmrc", "//registry.npmjs.org/:_authToken=" + token + "\n"})},
		inimage.Options{Request: Request})
	require.NoError(t, err)
	defer tree.Close()
	fs := ScanTree(context.Background(), tree, TreeOptions{Skip: func(e *inimage.Entry) bool {
		return strings.HasSuffix(e.Path, "/.npmrc")
	}})
	require.Empty(t, fs)
}
