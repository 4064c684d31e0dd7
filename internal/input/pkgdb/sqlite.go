package pkgdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// This file reads the table rows of an SQLite 3 database file, which is
// all that rpm's rpmdb.sqlite needs. Page 1 holds the schema table. Each
// table is a B-tree of interior pages (type 5) and leaf pages (type 13)
// whose cells carry records, and large records continue on overflow
// pages. The layout follows the SQLite file format document
// (https://www.sqlite.org/fileformat2.html). Only the main database file
// is read.
//
// NOTE: rows still in a write-ahead log (rpmdb.sqlite-wal) that was not
// checkpointed are not seen.

const (
	sqliteMagic         = "SQLite format 3\x00"
	sqliteInteriorTable = 0x05
	sqliteLeafTable     = 0x0d
	sqliteMaxDepth      = 64
	sqliteMaxPayload    = 64 << 20
)

type sqliteDB struct {
	r        io.ReaderAt
	pageSize int
	usable   int
	pages    uint32
}

func openSQLite(r io.ReaderAt, size int64) (*sqliteDB, error) {
	h := make([]byte, 100)
	if _, err := r.ReadAt(h, 0); err != nil {
		return nil, fmt.Errorf("reading SQLite header: %w", err)
	}
	if string(h[:16]) != sqliteMagic {
		return nil, errors.New("not an SQLite 3 database: bad header string")
	}
	pageSize := int(binary.BigEndian.Uint16(h[16:]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return nil, fmt.Errorf("invalid SQLite page size %d", pageSize)
	}
	usable := pageSize - int(h[20])
	if usable < 480 {
		return nil, fmt.Errorf("invalid SQLite usable page size %d", usable)
	}
	return &sqliteDB{r: r, pageSize: pageSize, usable: usable, pages: uint32(size / int64(pageSize))}, nil
}

func (db *sqliteDB) page(n uint32) ([]byte, error) {
	if n == 0 || n > db.pages {
		return nil, fmt.Errorf("page %d is outside the database of %d pages", n, db.pages)
	}
	buf := make([]byte, db.pageSize)
	if _, err := db.r.ReadAt(buf, int64(n-1)*int64(db.pageSize)); err != nil {
		return nil, fmt.Errorf("reading page %d: %w", n, err)
	}
	return buf, nil
}

// tableRoot returns the root page of the table named name from the schema
// table on page 1.
func (db *sqliteDB) tableRoot(name string) (uint32, error) {
	var root uint32
	err := db.scanTable(1, func(_ int64, rec []sqliteValue) error {
		if len(rec) >= 4 && string(rec[0].text) == "table" && string(rec[1].text) == name {
			root = uint32(rec[3].integer)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reading schema: %w", err)
	}
	if root == 0 {
		return 0, fmt.Errorf("table %q not found", name)
	}
	return root, nil
}

// scanTable calls fn for each row of the table B-tree rooted at root.
func (db *sqliteDB) scanTable(root uint32, fn func(rowid int64, rec []sqliteValue) error) error {
	visited := 0
	var walk func(n uint32, depth int) error
	walk = func(n uint32, depth int) error {
		visited++
		if depth > sqliteMaxDepth || visited > int(db.pages) {
			return fmt.Errorf("B-tree at page %d is too deep or loops", root)
		}
		buf, err := db.page(n)
		if err != nil {
			return err
		}
		hdr := 0
		if n == 1 {
			hdr = 100
		}
		cells := int(binary.BigEndian.Uint16(buf[hdr+3:]))
		switch buf[hdr] {
		case sqliteLeafTable:
			return db.leafCells(buf, hdr+8, cells, fn)
		case sqliteInteriorTable:
			ptrs := hdr + 12
			if ptrs+2*cells > len(buf) {
				return fmt.Errorf("page %d: %d cells do not fit", n, cells)
			}
			for i := range cells {
				off := int(binary.BigEndian.Uint16(buf[ptrs+2*i:]))
				if off+4 > len(buf) {
					return fmt.Errorf("page %d: cell %d is outside the page", n, i)
				}
				if err := walk(binary.BigEndian.Uint32(buf[off:]), depth+1); err != nil {
					return err
				}
			}
			return walk(binary.BigEndian.Uint32(buf[hdr+8:]), depth+1)
		}
		return fmt.Errorf("page %d has type %#x: expected a table B-tree page", n, buf[hdr])
	}
	return walk(root, 0)
}

func (db *sqliteDB) leafCells(buf []byte, ptrs, cells int, fn func(int64, []sqliteValue) error) error {
	if ptrs+2*cells > len(buf) {
		return fmt.Errorf("%d cells do not fit the page", cells)
	}
	for i := range cells {
		off := int(binary.BigEndian.Uint16(buf[ptrs+2*i:]))
		if off >= len(buf) {
			return fmt.Errorf("cell %d is outside the page", i)
		}
		size, n1 := sqliteVarint(buf[off:])
		rowid, n2 := sqliteVarint(buf[off+n1:])
		if n1 == 0 || n2 == 0 {
			return fmt.Errorf("cell %d has a truncated header", i)
		}
		payload, err := db.payload(buf, off+n1+n2, size)
		if err != nil {
			return fmt.Errorf("cell %d: %w", i, err)
		}
		rec, err := decodeSQLiteRecord(payload)
		if err != nil {
			return fmt.Errorf("cell %d: %w", i, err)
		}
		if err := fn(int64(rowid), rec); err != nil {
			return err
		}
	}
	return nil
}

// payload returns a cell's record, following its overflow pages when the
// record does not fit in the leaf page.
func (db *sqliteDB) payload(buf []byte, off int, total uint64) ([]byte, error) {
	if total > sqliteMaxPayload {
		return nil, fmt.Errorf("record of %d bytes is over the %d-byte limit", total, sqliteMaxPayload)
	}
	if total > uint64(db.pages)*uint64(db.usable) {
		return nil, fmt.Errorf("record of %d bytes is larger than the database", total)
	}

	// The part kept in the leaf page follows the file format's formula
	// for table leaf cells, from the usable page size U.
	u := uint64(db.usable)
	local := total
	if maxLocal := u - 35; total > maxLocal {
		minLocal := (u-12)*32/255 - 23
		local = minLocal + (total-minLocal)%(u-4)
		if local > maxLocal {
			local = minLocal
		}
	}
	if uint64(off)+local > uint64(len(buf)) {
		return nil, errors.New("record runs past the end of its page")
	}

	out := make([]byte, 0, total)
	out = append(out, buf[off:off+int(local)]...)
	if local == total {
		return out, nil
	}
	if off+int(local)+4 > len(buf) {
		return nil, errors.New("overflow page number runs past the end of its page")
	}
	next := binary.BigEndian.Uint32(buf[off+int(local):])

	for hops := 0; uint64(len(out)) < total; hops++ {
		if next == 0 || hops > int(db.pages) {
			return nil, fmt.Errorf("overflow chain ends after %d of %d bytes", len(out), total)
		}
		page, err := db.page(next)
		if err != nil {
			return nil, err
		}
		n := min(total-uint64(len(out)), u-4)
		out = append(out, page[4:4+n]...)
		next = binary.BigEndian.Uint32(page)
	}
	return out, nil
}

// sqliteValue is one column of a record: an integer, or the bytes of a
// text or blob value.
type sqliteValue struct {
	integer int64
	text    []byte
	blob    []byte
}

func decodeSQLiteRecord(p []byte) ([]sqliteValue, error) {
	hdrLen, n := sqliteVarint(p)
	if n == 0 || hdrLen > uint64(len(p)) || hdrLen < uint64(n) {
		return nil, errors.New("invalid record header length")
	}
	var out []sqliteValue
	body := int(hdrLen)
	for pos := n; pos < int(hdrLen); {
		st, k := sqliteVarint(p[pos:int(hdrLen)])
		if k == 0 {
			return nil, errors.New("truncated record header")
		}
		pos += k
		size := sqliteSerialSize(st)
		if uint64(body)+size > uint64(len(p)) {
			return nil, errors.New("record value runs past the record")
		}
		v := p[body : body+int(size)]
		body += int(size)
		var val sqliteValue
		switch {
		case st >= 1 && st <= 6:
			val.integer = sqliteInt(v)
		case st == 9:
			val.integer = 1
		case st >= 12 && st%2 == 0:
			val.blob = v
		case st >= 13:
			val.text = v
		}
		out = append(out, val)
	}
	return out, nil
}

func sqliteSerialSize(st uint64) uint64 {
	switch {
	case st <= 4:
		return st
	case st == 5:
		return 6
	case st == 6, st == 7:
		return 8
	case st < 12:
		return 0
	}
	return (st - 12) / 2
}

// sqliteInt decodes a big-endian two's-complement integer of 1 to 8 bytes.
func sqliteInt(b []byte) int64 {
	var v int64
	if len(b) > 0 && b[0]&0x80 != 0 {
		v = -1
	}
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	return v
}

// sqliteVarint decodes SQLite's big-endian variable-length integer of 1 to
// 9 bytes. It returns 0 bytes read when b is truncated.
func sqliteVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 8; i++ {
		if i >= len(b) {
			return 0, 0
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	if len(b) < 9 {
		return 0, 0
	}
	return v<<8 | uint64(b[8]), 9
}
