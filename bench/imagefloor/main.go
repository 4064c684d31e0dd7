// Command imagefloor measures the physical floor of an image scan: it
// opens an image like dockward scan does and decompresses every layer
// once into io.Discard, with the same libraries and the same number of
// concurrent layers, but parses nothing. bench/image.sh compares scan
// times with it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	inimage "github.com/dockward/dockward/internal/input/image"
	srcimage "github.com/dockward/dockward/internal/source/image"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: imagefloor IMAGE")
		os.Exit(2)
	}
	im, err := srcimage.Open(context.Background(), os.Args[1], srcimage.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "imagefloor:", err)
		os.Exit(1)
	}
	defer im.Close()

	sizes := make([]int64, len(im.Layers))
	errs := make([]error, len(im.Layers))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(im.Layers), 1)) {
		wg.Go(func() {
			for i := range next {
				sizes[i], errs[i] = drain(im.Layers[i])
			}
		})
	}
	for i := range im.Layers {
		next <- i
	}
	close(next)
	wg.Wait()

	var total int64
	for i, n := range sizes {
		if errs[i] != nil {
			fmt.Fprintf(os.Stderr, "imagefloor: layer %d: %v\n", i, errs[i])
			os.Exit(1)
		}
		total += n
	}
	fmt.Printf("%d layers, %d bytes uncompressed\n", len(im.Layers), total)
}

// drain decompresses one layer into io.Discard and returns its size.
func drain(l inimage.Layer) (int64, error) {
	rc, err := l.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	head, _ := br.Peek(4)
	var r io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, err
		}
		defer zr.Close()
		r = zr
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return 0, err
		}
		defer zr.Close()
		r = zr
	}
	return io.Copy(io.Discard, r)
}
