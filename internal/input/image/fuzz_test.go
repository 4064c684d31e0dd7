package image

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the layer reader as one layer blob,
// plain or compressed. It must never panic or touch the file system
// outside its spill directory.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.tar*")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0})
	f.Fuzz(func(t *testing.T, blob []byte) {
		req := func(p string, _ os.FileMode, _ int64) Want {
			if filepath.Ext(p) == ".jar" {
				return WantSpill
			}
			return WantContent
		}
		// The same blob as a stream and as random access, as an archive
		// member or layout file is read.
		layers := []Layer{blobLayer(blob, "", ""), blobLayer(blob, digestOf(blob), ""),
			randomAccessLayer(blobLayer(blob, "", digestOf(blob)))}
		tree, _, err := Read(context.Background(), layers,
			Options{Request: req, TempDir: t.TempDir(), MaxLayerSize: 8 << 20, MaxTotalContent: 8 << 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tree.Entries() {
			tree.Resolve(e.Path)
			if e.Spilled() {
				if r, err := e.OpenSpilled(); err == nil {
					io.Copy(io.Discard, r)
					r.Close()
				}
			}
		}
		tree.Removed()
		if err := tree.Close(); err != nil {
			t.Fatal(err)
		}
	})
}
