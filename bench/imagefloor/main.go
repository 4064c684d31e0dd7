// Command imagefloor measures the physical floor of an image scan: it
// opens an image like dockward scan does and decompresses every layer
// once into io.Discard, with the same libraries and the same number of
// concurrent layers, but parses nothing. bench/image.sh compares scan
// times with it.
//
// With -verify it also computes each layer's SHA-256 digest on a goroutine
// of its own while reading, as a consumer of OCI content must before it
// trusts a blob: that is the floor of any scan that checks digests.
//
//	imagefloor [-verify] IMAGE
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"hash"
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
	verify := flag.Bool("verify", false, "also hash every layer blob")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: imagefloor [-verify] IMAGE")
		os.Exit(2)
	}
	im, err := srcimage.Open(context.Background(), flag.Arg(0), srcimage.Options{})
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
				sizes[i], errs[i] = drain(im.Layers[i], *verify)
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
// With verify it hashes the blob as read, on another goroutine.
func drain(l inimage.Layer, verify bool) (int64, error) {
	rc, err := l.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	var src io.Reader = rc
	if verify {
		h := startHasher()
		defer h.wait()
		src = io.TeeReader(rc, h)
	}
	br := bufio.NewReaderSize(src, 64<<10)
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
	n, err := io.Copy(io.Discard, r)
	if err == nil && verify {
		_, err = io.Copy(io.Discard, br) // the rest of the blob, for the digest
	}
	return n, err
}

// hasher computes SHA-256 on its own goroutine from 1 MiB chunks.
type hasher struct {
	h    hash.Hash
	ch   chan []byte
	free chan []byte
	buf  []byte
	done chan struct{}
}

func startHasher() *hasher {
	h := &hasher{h: sha256.New(), ch: make(chan []byte, 4), free: make(chan []byte, 6), done: make(chan struct{})}
	for range cap(h.free) {
		h.free <- make([]byte, 0, 1<<20)
	}
	h.buf = <-h.free
	go func() {
		defer close(h.done)
		for b := range h.ch {
			h.h.Write(b)
			h.free <- b[:0]
		}
	}()
	return h
}

func (h *hasher) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), cap(h.buf)-len(h.buf))
		h.buf = append(h.buf, p[:k]...)
		p = p[k:]
		if len(h.buf) == cap(h.buf) {
			h.ch <- h.buf
			h.buf = <-h.free
		}
	}
	return n, nil
}

func (h *hasher) wait() []byte {
	h.ch <- h.buf
	close(h.ch)
	<-h.done
	return h.h.Sum(nil)
}
