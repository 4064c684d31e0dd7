package image_test

import (
	"context"
	"io/fs"
	"os"
	"testing"

	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/input/pkgdb"
	srcimage "github.com/dockward/dockward/internal/source/image"
)

// BenchmarkReadImage reads the image named by DOCKWARD_BENCH_IMAGE (any
// reference scan accepts) with the package cataloguer's request. It
// skips when the variable is unset; bench/image.sh sets it.
func BenchmarkReadImage(b *testing.B) {
	ref := os.Getenv("DOCKWARD_BENCH_IMAGE")
	if ref == "" {
		b.Skip("set DOCKWARD_BENCH_IMAGE to an image reference")
	}
	for b.Loop() {
		im, err := srcimage.Open(context.Background(), ref, srcimage.Options{})
		if err != nil {
			b.Fatal(err)
		}
		tree, _, err := im.Tree(context.Background(), inimage.Options{Request: pkgdb.Request()})
		if err != nil {
			b.Fatal(err)
		}
		tree.Close()
		im.Close()
	}
}

// BenchmarkReadImageMetadata reads the same image keeping no content.
func BenchmarkReadImageMetadata(b *testing.B) {
	ref := os.Getenv("DOCKWARD_BENCH_IMAGE")
	if ref == "" {
		b.Skip("set DOCKWARD_BENCH_IMAGE to an image reference")
	}
	none := func(string, fs.FileMode, int64) inimage.Want { return inimage.WantNone }
	for b.Loop() {
		im, err := srcimage.Open(context.Background(), ref, srcimage.Options{})
		if err != nil {
			b.Fatal(err)
		}
		tree, _, err := im.Tree(context.Background(), inimage.Options{Request: none})
		if err != nil {
			b.Fatal(err)
		}
		tree.Close()
		im.Close()
	}
}
