package pkgdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Berkeley DB hash database layout, as rpm's Packages file uses it
// (Berkeley DB's dbinc/db_page.h). Every page starts with a 26-byte
// header; page 0 is the hash metadata page.
const (
	bdbHashMagic     = 0x061561
	bdbPageHeader    = 26
	bdbHashUnsorted  = 2  // P_HASH_UNSORTED
	bdbOverflow      = 7  // P_OVERFLOW
	bdbHashMeta      = 8  // P_HASHMETA
	bdbHash          = 13 // P_HASH
	bdbItemKeyData   = 1  // H_KEYDATA
	bdbItemOffPage   = 3  // H_OFFPAGE
	bdbMaxValueBytes = 64 << 20
)

// readBerkeleyDB returns the values of a Berkeley DB hash database: the
// header blobs of rpm's Packages file. Values on overflow pages are
// reassembled; chains that loop or leave the file are errors.
func readBerkeleyDB(r io.ReaderAt, size int64) ([][]byte, error) {
	meta := make([]byte, 512)
	if _, err := r.ReadAt(meta, 0); err != nil {
		return nil, fmt.Errorf("reading Berkeley DB metadata page: %w", err)
	}
	var order binary.ByteOrder
	switch {
	case binary.LittleEndian.Uint32(meta[12:]) == bdbHashMagic:
		order = binary.LittleEndian
	case binary.BigEndian.Uint32(meta[12:]) == bdbHashMagic:
		order = binary.BigEndian
	default:
		return nil, errors.New("not a Berkeley DB hash database: bad magic number")
	}
	if meta[25] != bdbHashMeta {
		return nil, fmt.Errorf("Berkeley DB page 0 has type %d: expected hash metadata", meta[25])
	}
	pageSize := order.Uint32(meta[20:])
	if pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return nil, fmt.Errorf("invalid Berkeley DB page size %d", pageSize)
	}
	if size < 2*int64(pageSize) {
		return nil, fmt.Errorf("Berkeley DB of %d bytes has no data pages", size)
	}
	lastPage := order.Uint32(meta[32:])
	if int64(lastPage) >= size/int64(pageSize) {
		lastPage = uint32(size/int64(pageSize)) - 1
	}

	db := &bdbFile{r: r, order: order, pageSize: pageSize, lastPage: lastPage}
	var values [][]byte
	var errs []error
	page := make([]byte, pageSize)
	for n := uint32(1); n <= lastPage; n++ {
		if err := db.readPage(n, page); err != nil {
			return values, err
		}
		if page[25] != bdbHash && page[25] != bdbHashUnsorted {
			continue
		}
		vs, err := db.hashPageValues(page)
		values = append(values, vs...)
		if err != nil {
			errs = append(errs, fmt.Errorf("page %d: %w", n, err))
		}
	}
	return values, errors.Join(errs...)
}

type bdbFile struct {
	r        io.ReaderAt
	order    binary.ByteOrder
	pageSize uint32
	lastPage uint32
}

func (db *bdbFile) readPage(n uint32, buf []byte) error {
	if n > db.lastPage {
		return fmt.Errorf("page %d is past the last page %d", n, db.lastPage)
	}
	if _, err := db.r.ReadAt(buf, int64(n)*int64(db.pageSize)); err != nil {
		return fmt.Errorf("reading page %d: %w", n, err)
	}
	return nil
}

// hashPageValues returns the data items of a hash page: its index holds
// key and data item offsets in turn.
func (db *bdbFile) hashPageValues(page []byte) ([][]byte, error) {
	entries := int(db.order.Uint16(page[20:]))
	if bdbPageHeader+2*entries > len(page) {
		return nil, fmt.Errorf("%d index entries do not fit the page", entries)
	}
	var values [][]byte
	for i := 1; i < entries; i += 2 {
		off := int(db.order.Uint16(page[bdbPageHeader+2*i:]))
		// Items are stored from the end of the page down, so an item ends
		// where the one before it in the index starts.
		end := int(db.order.Uint16(page[bdbPageHeader+2*(i-1):]))
		if off < bdbPageHeader+2*entries || end > len(page) || end <= off {
			return values, fmt.Errorf("item %d has invalid offset %d", i, off)
		}
		item := page[off:end]
		if db.isCounterKey(page, entries, i-1) {
			continue
		}
		switch item[0] {
		case bdbItemKeyData:
			values = append(values, append([]byte(nil), item[1:]...))
		case bdbItemOffPage:
			if len(item) < 12 {
				return values, fmt.Errorf("item %d: off-page reference is truncated", i)
			}
			v, err := db.overflow(db.order.Uint32(item[4:]), db.order.Uint32(item[8:]))
			if err != nil {
				return values, fmt.Errorf("item %d: %w", i, err)
			}
			values = append(values, v)
		}
	}
	return values, nil
}

// overflow reassembles a value of total bytes from a chain of overflow
// pages starting at first.
func (db *bdbFile) overflow(first, total uint32) ([]byte, error) {
	if total > bdbMaxValueBytes {
		return nil, fmt.Errorf("value of %d bytes is over the %d-byte limit", total, bdbMaxValueBytes)
	}
	if uint64(total) > uint64(db.lastPage)*uint64(db.pageSize) {
		return nil, fmt.Errorf("value of %d bytes is larger than the database", total)
	}
	out := make([]byte, 0, total)
	page := make([]byte, db.pageSize)
	seen := make(map[uint32]bool)
	for n := first; uint32(len(out)) < total; {
		if n == 0 {
			return nil, fmt.Errorf("overflow chain from page %d ends after %d of %d bytes", first, len(out), total)
		}
		if seen[n] {
			return nil, fmt.Errorf("overflow chain from page %d loops at page %d", first, n)
		}
		seen[n] = true
		if err := db.readPage(n, page); err != nil {
			return nil, err
		}
		if page[25] != bdbOverflow {
			return nil, fmt.Errorf("page %d has type %d: expected overflow", n, page[25])
		}
		length := int(db.order.Uint16(page[22:])) // hf_offset holds the data length
		if bdbPageHeader+length > len(page) {
			return nil, fmt.Errorf("overflow page %d claims %d bytes", n, length)
		}
		out = append(out, page[bdbPageHeader:bdbPageHeader+length]...)
		n = db.order.Uint32(page[16:])
	}
	return out[:total], nil
}

// isCounterKey reports whether index entry k of a hash page is the key of
// record number 0, where rpm keeps the next free header number instead of
// a header.
func (db *bdbFile) isCounterKey(page []byte, entries, k int) bool {
	off := int(db.order.Uint16(page[bdbPageHeader+2*k:]))
	end := len(page)
	if k > 0 {
		end = int(db.order.Uint16(page[bdbPageHeader+2*(k-1):]))
	}
	if off < bdbPageHeader+2*entries || end > len(page) || end-off != 5 {
		return false
	}
	key := page[off:end]
	return key[0] == bdbItemKeyData && key[1]|key[2]|key[3]|key[4] == 0
}
