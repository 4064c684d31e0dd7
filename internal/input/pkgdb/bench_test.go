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

// BenchmarkRequest measures the per-entry cost of the request, which the
// layer engine calls for every entry of every layer.
func BenchmarkRequest(b *testing.B) {
	paths := []string{
		"/usr/bin/bash", "/usr/share/doc/bash/copyright", "/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/var/lib/dpkg/status", "/usr/share/locale/de/LC_MESSAGES/tar.mo", "/etc/os-release",
		"/app/node_modules/@babel/core/package.json", "/usr/lib/python3/dist-packages/x.dist-info/METADATA",
	}
	req := Request()
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			req(p, 0o755, 100<<10)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paths)), "ns/entry")
}
