package pkgdb

import (
	"context"
	"testing"

	"github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/testenv"
)

// BenchmarkCatalogDebianRootfs measures cataloguing the debootstrap root
// file system: "catalog" on a tree already read, "read+catalog" including
// the directory walk and the reads that Request selects.
func BenchmarkCatalogDebianRootfs(b *testing.B) {
	dir := testenv.DebianRootfs(b)
	ctx := context.Background()

	b.Run("catalog", func(b *testing.B) {
		tree, _, err := image.ReadDir(ctx, dir, image.Options{Request: Request()})
		if err != nil {
			b.Fatal(err)
		}
		defer tree.Close()
		b.ReportAllocs()
		for b.Loop() {
			inv, _ := Catalog(ctx, tree)
			if len(inv.Packages) == 0 {
				b.Fatal("no packages")
			}
		}
	})
	b.Run("read+catalog", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tree, _, err := image.ReadDir(ctx, dir, image.Options{Request: Request()})
			if err != nil {
				b.Fatal(err)
			}
			Catalog(ctx, tree)
			tree.Close()
		}
	})
	b.Run("read-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tree, _, err := image.ReadDir(ctx, dir, image.Options{})
			if err != nil {
				b.Fatal(err)
			}
			tree.Close()
		}
	})
}
