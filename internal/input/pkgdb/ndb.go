package pkgdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// rpm's NDB package database (Packages.db, used by SUSE) is a file of
// 4096-byte slot pages followed by blobs in 16-byte blocks, little-endian.
// The first page starts with a 32-byte header ("RpmP", version 0,
// generation, number of slot pages); the rest of the slot pages hold
// 16-byte slots ("Slot", package index, block offset, block count). A
// blob starts with "BlbS", the package index, the generation and the
// length of the header blob that follows. The layout follows rpm's
// lib/backend/ndb/rpmpkg.c.
const (
	ndbHeaderMagic = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic   = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbBlobMagic   = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbPageSize    = 4096
	ndbSlotSize    = 16
	ndbHeaderSize  = 32
	ndbBlockSize   = 16
	ndbBlobHeader  = 16
	ndbMaxPages    = 1 << 16
)

// readNDB returns the header blobs of an NDB package database.
func readNDB(r io.ReaderAt, size int64) ([][]byte, error) {
	h := make([]byte, ndbHeaderSize)
	if _, err := r.ReadAt(h, 0); err != nil {
		return nil, fmt.Errorf("reading NDB header: %w", err)
	}
	le := binary.LittleEndian
	if le.Uint32(h) != ndbHeaderMagic {
		return nil, errors.New("not an rpm NDB database: bad magic number")
	}
	if v := le.Uint32(h[4:]); v != 0 {
		return nil, fmt.Errorf("unsupported NDB version %d: expected 0", v)
	}
	pages := le.Uint32(h[12:])
	if pages == 0 || pages > ndbMaxPages || int64(pages)*ndbPageSize > size {
		return nil, fmt.Errorf("invalid NDB slot page count %d", pages)
	}

	slots := make([]byte, int(pages)*ndbPageSize)
	if _, err := r.ReadAt(slots, 0); err != nil {
		return nil, fmt.Errorf("reading NDB slot pages: %w", err)
	}
	var blobs [][]byte
	var errs []error
	for off := ndbHeaderSize; off+ndbSlotSize <= len(slots); off += ndbSlotSize {
		s := slots[off:]
		if le.Uint32(s) != ndbSlotMagic {
			return blobs, fmt.Errorf("slot at offset %d has a bad magic number", off)
		}
		pkgIdx, blkOff, blkCnt := le.Uint32(s[4:]), le.Uint32(s[8:]), le.Uint32(s[12:])
		if pkgIdx == 0 {
			continue // free slot
		}
		blob, err := readNDBBlob(r, size, pkgIdx, blkOff, blkCnt)
		if err != nil {
			errs = append(errs, fmt.Errorf("package %d: %w", pkgIdx, err))
			continue
		}
		blobs = append(blobs, blob)
	}
	return blobs, errors.Join(errs...)
}

func readNDBBlob(r io.ReaderAt, size int64, pkgIdx, blkOff, blkCnt uint32) ([]byte, error) {
	start := int64(blkOff) * ndbBlockSize
	length := int64(blkCnt) * ndbBlockSize
	if start+length > size || length < ndbBlobHeader || length > bdbMaxValueBytes {
		return nil, fmt.Errorf("blob of %d blocks at block %d is outside the file", blkCnt, blkOff)
	}
	head := make([]byte, ndbBlobHeader)
	if _, err := r.ReadAt(head, start); err != nil {
		return nil, fmt.Errorf("reading blob header: %w", err)
	}
	le := binary.LittleEndian
	if le.Uint32(head) != ndbBlobMagic {
		return nil, errors.New("blob has a bad magic number")
	}
	if got := le.Uint32(head[4:]); got != pkgIdx {
		return nil, fmt.Errorf("blob belongs to package %d", got)
	}
	n := int64(le.Uint32(head[12:]))
	if ndbBlobHeader+n > length {
		return nil, fmt.Errorf("blob length %d exceeds its %d blocks", n, blkCnt)
	}
	blob := make([]byte, n)
	if _, err := r.ReadAt(blob, start+ndbBlobHeader); err != nil {
		return nil, fmt.Errorf("reading blob: %w", err)
	}
	return blob, nil
}
