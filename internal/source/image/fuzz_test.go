package image

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	inimage "github.com/dockward/dockward/internal/input/image"
)

// FuzzOpenArchive opens arbitrary bytes as an image archive, which
// exercises the tar index, manifest.json, index.json, nested indexes and
// config decoding, then reads whatever layers it finds.
func FuzzOpenArchive(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.tar")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "image.tar")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		im, err := Open(context.Background(), p, Options{})
		if err != nil {
			return
		}
		defer im.Close()
		tree, _, err := im.Tree(context.Background(), inimage.Options{MaxLayerSize: 8 << 20})
		if err != nil {
			t.Fatal(err)
		}
		tree.Close()
	})
}
