package secrets

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// layer builds an uncompressed layer from name-content pairs; an empty
// content with a ".wh." name is a whiteout.
func layer(t *testing.T, files ...[2]string) inimage.Layer {
	t.Helper()
	return modeLayer(t, 0o644, files...)
}

// modeLayer builds a layer like layer, with every file at mode.
func modeLayer(t *testing.T, mode int64, files ...[2]string) inimage.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: f[0], Mode: mode, Size: int64(len(f[1])),
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
	for _, workers := range []int{1, 3, 16} {
		require.Equal(t, fs, ScanTree(context.Background(), tree, TreeOptions{Image: "app:test", Workers: workers}),
			"findings and their order do not depend on the number of workers (%d)", workers)
	}
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

// scanLayers reads layers with Request and returns ScanTree's findings.
func scanLayers(t *testing.T, layers ...inimage.Layer) []finding.Finding {
	t.Helper()
	tree, problems, err := inimage.Read(context.Background(), layers,
		inimage.Options{Request: Request, Name: "app:test"})
	require.NoError(t, err)
	require.Empty(t, problems)
	t.Cleanup(func() { tree.Close() })
	return ScanTree(context.Background(), tree, TreeOptions{Image: "app:test"})
}

// placed is where a finding points: line, layer and the message text
// after the redacted value.
type placed struct {
	Line       int
	LayerIndex int
	Layer      string
	Note       string
}

func placesOf(t *testing.T, fs []finding.Finding, secret string) []placed {
	t.Helper()
	var out []placed
	for _, f := range fs {
		require.NotContains(t, f.Message, secret)
		require.NotNil(t, f.Location.LayerIndex)
		note := f.Message
		if i := strings.Index(note, " (added in"); i >= 0 {
			note = note[i:]
		} else if i := strings.Index(note, "; the file was"); i >= 0 {
			note = note[i:]
		}
		out = append(out, placed{Line: f.Location.StartLine, LayerIndex: *f.Location.LayerIndex,
			Layer: f.Location.Layer, Note: note})
	}
	return out
}

func TestScanTreeAttributesEditedFiles(t *testing.T) {
	gen := secrettest.NewGenerator(3)
	secret, rotated := gen.Password(), gen.Password()
	ini := "[db]\npassword = \"" + secret + "\"\nhost = db\n"
	rotatedINI := "[db]\npassword = \"" + rotated + "\"\nhost = db\n"
	twice := ini + "[replica]\npassword = \"" + secret + "\"\n"

	add := layer(t, [2]string{"cfg/app.ini", ini})
	chmod := modeLayer(t, 0o600, [2]string{"cfg/app.ini", ini})
	appended := layer(t, [2]string{"cfg/app.ini", ini + "extra=1\n"})
	tests := []struct {
		name   string
		layers []inimage.Layer
		want   []placed
	}{
		{"added once", []inimage.Layer{add},
			[]placed{{2, 0, add.DiffID, " (added in layer 0)"}}},
		{"chmod layer", []inimage.Layer{add, chmod},
			[]placed{{2, 0, add.DiffID, " (added in layer 0; layer 1 rewrote the file and kept it)"}}},
		{"chmod then append", []inimage.Layer{add, chmod, appended},
			[]placed{{2, 0, add.DiffID, " (added in layer 0; layer 2 rewrote the file and kept it)"}}},
		{"append", []inimage.Layer{add, appended},
			[]placed{{2, 0, add.DiffID, " (added in layer 0; layer 1 rewrote the file and kept it)"}}},
		{"second occurrence added", []inimage.Layer{add, layer(t, [2]string{"cfg/app.ini", twice})},
			[]placed{
				{2, 0, add.DiffID, " (added in layer 0; layer 1 rewrote the file and kept it)"},
				{5, 0, add.DiffID, " (added in layer 0; layer 1 rewrote the file and kept it)"},
			}},
		{"rotated", []inimage.Layer{add, chmod, layer(t, [2]string{"cfg/app.ini", rotatedINI})},
			[]placed{
				{2, 2, "", " (added in layer 2)"},
				{2, 0, add.DiffID, "; the file was deleted or replaced in layer 2, but layer 0 (" +
					add.DiffID[:19] + ") still holds it"},
			}},
		{"edited then deleted", []inimage.Layer{add, appended, layer(t, [2]string{"cfg/.wh.app.ini", ""})},
			[]placed{{2, 0, add.DiffID, "; the file was deleted or replaced in layer 2, but layer 0 (" +
				add.DiffID[:19] + ") still holds it"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := placesOf(t, scanLayers(t, tc.layers...), secret)
			for i := range tc.want {
				if tc.want[i].Layer == "" {
					tc.want[i].Layer = tc.layers[tc.want[i].LayerIndex].DiffID
				}
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestFlaggedBytes(t *testing.T) {
	data := []byte("a=1\nkey: abc\nlast")
	tests := []struct {
		name string
		loc  finding.Location
		want string
		ok   bool
	}{
		{"one line", finding.Location{StartLine: 2, StartColumn: 6, EndLine: 2, EndColumn: 9}, "abc", true},
		{"across lines", finding.Location{StartLine: 1, StartColumn: 3, EndLine: 2, EndColumn: 4}, "1\nkey", true},
		{"no end column", finding.Location{StartLine: 2, StartColumn: 1, EndLine: 2}, "key: abc", true},
		{"no end column on last line", finding.Location{StartLine: 3, StartColumn: 1}, "last", true},
		{"no position", finding.Location{}, "", false},
		{"line past end", finding.Location{StartLine: 4, StartColumn: 1}, "", false},
		{"column past end", finding.Location{StartLine: 3, StartColumn: 9}, "", false},
		{"end before start", finding.Location{StartLine: 2, StartColumn: 5, EndLine: 1, EndColumn: 1}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := flaggedBytes(data, lineStarts(data), tc.loc)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, string(got))
		})
	}
}

func TestScanTreeRootfsHasNoLayer(t *testing.T) {
	token := secrettest.NewGenerator(11).GitHubToken("ghp_")
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "app"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app/notes.txt"), []byte("token: "+token+"\n"), 0o644))
	tree, _, err := inimage.ReadDir(context.Background(), dir, inimage.Options{Request: Request})
	require.NoError(t, err)
	defer tree.Close()
	fs := ScanTree(context.Background(), tree, TreeOptions{Image: dir})
	require.NotEmpty(t, fs)
	for _, f := range fs {
		require.Nil(t, f.Location.LayerIndex, f.Message)
		require.NotContains(t, f.Message, "layer")
	}
}
