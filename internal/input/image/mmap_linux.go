//go:build linux

package image

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"runtime/debug"

	"golang.org/x/sys/unix"
)

// mapWindow is how much of a blob the mapped hasher maps at once. At
// most three windows are mapped at a time, so the page cache they show
// adds at most 6 MiB to the resident set. Windows of 1 MiB cost more
// system time in mmap and munmap than they saved.
const mapWindow = 2 << 20

// window is one mapped part of a blob: mapping as mmap returned it,
// data the blob's bytes within it.
type window struct {
	mapping []byte
	data    []byte
}

// startMappedHasher hashes size bytes of f from offset base without
// copying them: one goroutine maps the file window by window and has the
// kernel fill in the pages, the other hashes and unmaps. Copying
// with ReadAt took about half the CPU time of SHA-256 itself (with SHA-NI,
// on a 170 MiB blob), and the tar reader running beside needs that CPU.
func startMappedHasher(f *os.File, base, size int64) (*blobHasher, error) {
	conn, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	h := &blobHasher{done: make(chan struct{})}
	full := make(chan window, 1)
	var mapErr error
	go func() {
		defer close(full)
		page := int64(os.Getpagesize())
		for off := int64(0); off < size; off += mapWindow {
			if h.stopped.Load() {
				mapErr = errStopped
				return
			}
			start := base + off
			aligned := start &^ (page - 1)
			n := min(mapWindow, size-off)
			w, err := mapRange(conn, aligned, int(start-aligned+n))
			if err != nil {
				mapErr = err
				return
			}
			w.data = w.mapping[start-aligned:]
			full <- w
		}
	}()
	go func() {
		defer close(h.done)
		d := sha256.New()
		var hashErr error
		for w := range full {
			if hashErr == nil {
				hashErr = hashMapped(d, w.data)
			}
			unix.Munmap(w.mapping)
		}
		// full is closed only after the mapper has set mapErr.
		h.finish(d, errors.Join(mapErr, hashErr))
	}()
	return h, nil
}

// mapRange maps length bytes of the file from offset, which is a multiple
// of the page size, and faults them in. A range past the end of the file,
// because the file shrank, fails with io.ErrUnexpectedEOF.
func mapRange(conn interface{ Control(func(uintptr)) error }, offset int64, length int) (window, error) {
	var w window
	var err error
	cerr := conn.Control(func(fd uintptr) {
		w.mapping, err = unix.Mmap(int(fd), offset, length, unix.PROT_READ, unix.MAP_SHARED)
	})
	if cerr != nil {
		return window{}, cerr
	}
	if err != nil {
		return window{}, fmt.Errorf("mapping the blob: %w", err)
	}
	// MADV_POPULATE_READ (Linux 5.14) fills the page table here, on the
	// mapping goroutine, so that hashing takes no page faults. Older
	// kernels reject it with EINVAL, and the hasher then takes the faults.
	switch err := unix.Madvise(w.mapping, unix.MADV_POPULATE_READ); {
	case err == nil, errors.Is(err, unix.EINVAL):
	case errors.Is(err, unix.EFAULT):
		unix.Munmap(w.mapping)
		return window{}, io.ErrUnexpectedEOF
	default:
		unix.Munmap(w.mapping)
		return window{}, fmt.Errorf("reading the blob: %w", err)
	}
	return w, nil
}

// hashMapped hashes mapped file data. Reading a page that the file no
// longer has, because it was cut short after it was mapped, raises
// SIGBUS. With SetPanicOnFault the runtime then panics instead of
// crashing, and the panic becomes io.ErrUnexpectedEOF.
func hashMapped(d hash.Hash, b []byte) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); !fault {
				panic(r)
			}
			err = io.ErrUnexpectedEOF
		}
	}()
	d.Write(b)
	return nil
}
