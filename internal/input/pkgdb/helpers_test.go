package pkgdb

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/input/image"
)

// memFile is one file of an in-memory tree.
type memFile struct {
	path    string
	content []byte
	mode    fs.FileMode // 0 means a regular file with mode 0644
	link    string      // target of a symbolic link
	layer   int
}

// memTree is an image.Tree held in memory, for tests that need no layer
// engine. It keeps every file's content.
type memTree struct {
	byPath  map[string]*image.Entry
	entries []*image.Entry
	removed []*image.Entry
}

func newMemTree(tb testing.TB, files ...memFile) *memTree {
	tb.Helper()
	t := &memTree{byPath: make(map[string]*image.Entry)}
	for _, f := range files {
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		if f.link != "" {
			mode = fs.ModeSymlink | 0o777
		}
		e := &image.Entry{
			Path: f.path, Mode: mode, Size: int64(len(f.content)), Linkname: f.link,
			LayerIndex: f.layer, LayerDigest: "sha256:layer" + string(rune('0'+f.layer)),
		}
		if mode.IsRegular() {
			e.Content = f.content
		}
		t.byPath[f.path] = e
		t.entries = append(t.entries, e)
		for dir := path.Dir(f.path); dir != "/"; dir = path.Dir(dir) {
			if _, ok := t.byPath[dir]; !ok {
				d := &image.Entry{Path: dir, Mode: fs.ModeDir | 0o755}
				t.byPath[dir] = d
				t.entries = append(t.entries, d)
			}
		}
	}
	slices.SortFunc(t.entries, func(a, b *image.Entry) int { return strings.Compare(a.Path, b.Path) })
	return t
}

func (t *memTree) Lookup(p string) (*image.Entry, bool) {
	e, ok := t.byPath[p]
	return e, ok
}

func (t *memTree) Resolve(p string) (*image.Entry, bool) {
	for range 40 {
		e, ok := t.byPath[p]
		if !ok || e.Mode&fs.ModeSymlink == 0 {
			return e, ok
		}
		target := e.Linkname
		if !strings.HasPrefix(target, "/") {
			target = path.Join(path.Dir(p), target)
		}
		p = path.Clean(target)
	}
	return nil, false
}

func (t *memTree) Entries() []*image.Entry { return t.entries }
func (t *memTree) Removed() []*image.Entry { return t.removed }

// addRemoved records an earlier version of a file, replaced in a later
// layer.
func (t *memTree) addRemoved(p string, layer int, content []byte) {
	t.removed = append(t.removed, &image.Entry{Path: p, Mode: 0o644, Size: int64(len(content)),
		Content: content, LayerIndex: layer, LayerDigest: "sha256:layer" + string(rune('0'+layer))})
}
func (t *memTree) FS() fs.FS    { return nil }
func (t *memTree) Close() error { return nil }

// rpmTag is one tag of a synthesized rpm header: a string or an int32.
type rpmTag struct {
	tag int32
	str string
	num *int32
}

func rpmStr(tag int32, s string) rpmTag { return rpmTag{tag: tag, str: s} }

func rpmInt(tag int32, n int32) rpmTag { return rpmTag{tag: tag, num: &n} }

// rpmHeaderBlob encodes tags as rpm stores a header in its databases:
// entry count, data length, 16-byte big-endian index entries, data store.
func rpmHeaderBlob(tags ...rpmTag) []byte {
	var index, store bytes.Buffer
	for _, t := range tags {
		typ := uint32(rpmTypeString)
		if t.num != nil {
			typ = rpmTypeInt32
			for store.Len()%4 != 0 {
				store.WriteByte(0)
			}
		}
		for _, v := range []uint32{uint32(t.tag), typ, uint32(store.Len()), 1} {
			binary.Write(&index, binary.BigEndian, v)
		}
		if t.num != nil {
			binary.Write(&store, binary.BigEndian, *t.num)
		} else {
			store.WriteString(t.str)
			store.WriteByte(0)
		}
	}
	var out bytes.Buffer
	binary.Write(&out, binary.BigEndian, uint32(len(tags)))
	binary.Write(&out, binary.BigEndian, uint32(store.Len()))
	out.Write(index.Bytes())
	out.Write(store.Bytes())
	return out.Bytes()
}

// testRPMHeaders are the packages the synthesized rpm databases hold; the
// first carries a long licence so that its header needs several pages.
func testRPMHeaders() [][]byte {
	return [][]byte{
		rpmHeaderBlob(rpmStr(rpmTagName, "bash"), rpmStr(rpmTagVersion, "4.4.20"),
			rpmStr(rpmTagRelease, "4.el8_6"), rpmStr(rpmTagArch, "x86_64"),
			rpmStr(rpmTagLicense, "GPLv3+"+strings.Repeat(" ", 9000)),
			rpmStr(rpmTagSourceRPM, "bash-4.4.20-4.el8_6.src.rpm")),
		rpmHeaderBlob(rpmStr(rpmTagName, "openssl-libs"), rpmInt(rpmTagEpoch, 1),
			rpmStr(rpmTagVersion, "1.1.1k"), rpmStr(rpmTagRelease, "7.el8_6"),
			rpmStr(rpmTagArch, "x86_64"), rpmStr(rpmTagLicense, "OpenSSL and ASL 2.0"),
			rpmStr(rpmTagSourceRPM, "openssl-1.1.1k-7.el8_6.src.rpm")),
		rpmHeaderBlob(rpmStr(rpmTagName, "gpg-pubkey"), rpmStr(rpmTagVersion, "fd431d51"),
			rpmStr(rpmTagRelease, "4ae0493b")),
	}
}

// berkeleyDB builds a little-endian Berkeley DB hash database whose values
// are blobs, each stored on a chain of overflow pages as rpm stores its
// headers.
func berkeleyDB(pageSize int, blobs [][]byte) []byte {
	le := binary.LittleEndian
	pages := [][]byte{make([]byte, pageSize), make([]byte, pageSize)}

	// Record 0 holds rpm's next free header number, then come the headers.
	hash := pages[1]
	hash[25] = bdbHash
	le.PutUint16(hash[20:], uint16(2*len(blobs)+2))
	top := pageSize - 5
	hash[top] = bdbItemKeyData
	le.PutUint16(hash[bdbPageHeader:], uint16(top))
	top -= 5
	hash[top] = bdbItemKeyData
	le.PutUint32(hash[top+1:], uint32(len(blobs)+1))
	le.PutUint16(hash[bdbPageHeader+2:], uint16(top))

	for i, blob := range blobs {
		first := uint32(len(pages))
		for rest := blob; len(rest) > 0 || first == uint32(len(pages)); {
			p := make([]byte, pageSize)
			p[25] = bdbOverflow
			n := copy(p[bdbPageHeader:], rest)
			le.PutUint16(p[22:], uint16(n))
			rest = rest[n:]
			if len(rest) > 0 {
				le.PutUint32(p[16:], uint32(len(pages)+1))
			}
			pages = append(pages, p)
		}

		slot := bdbPageHeader + 4*(i+1)
		top -= 5 // key: H_KEYDATA and a 4-byte record number
		hash[top] = bdbItemKeyData
		le.PutUint32(hash[top+1:], uint32(i+1))
		le.PutUint16(hash[slot:], uint16(top))
		top -= 12 // data: H_OFFPAGE, 3 unused bytes, page, length
		hash[top] = bdbItemOffPage
		le.PutUint32(hash[top+4:], first)
		le.PutUint32(hash[top+8:], uint32(len(blob)))
		le.PutUint16(hash[slot+2:], uint16(top))
	}

	meta := pages[0]
	le.PutUint32(meta[12:], bdbHashMagic)
	le.PutUint32(meta[16:], 9)
	le.PutUint32(meta[20:], uint32(pageSize))
	meta[25] = bdbHashMeta
	le.PutUint32(meta[32:], uint32(len(pages)-1))
	return bytes.Join(pages, nil)
}

// ndbDB builds an rpm NDB package database with one slot page.
func ndbDB(blobs [][]byte) []byte {
	le := binary.LittleEndian
	out := make([]byte, ndbPageSize)
	le.PutUint32(out[0:], ndbHeaderMagic)
	le.PutUint32(out[8:], 1)  // generation
	le.PutUint32(out[12:], 1) // slot pages
	for off := ndbHeaderSize; off < ndbPageSize; off += ndbSlotSize {
		le.PutUint32(out[off:], ndbSlotMagic)
	}
	for i, blob := range blobs {
		var b bytes.Buffer
		for _, v := range []uint32{ndbBlobMagic, uint32(i + 1), 1, uint32(len(blob))} {
			binary.Write(&b, binary.LittleEndian, v)
		}
		b.Write(blob)
		for _, v := range []uint32{adler32.Checksum(blob), uint32(len(blob)), 'B' | 'l'<<8 | 'b'<<16 | 'E'<<24} {
			binary.Write(&b, binary.LittleEndian, v)
		}
		for b.Len()%ndbBlockSize != 0 {
			b.WriteByte(0)
		}
		slot := out[ndbHeaderSize+ndbSlotSize*i:]
		le.PutUint32(slot[4:], uint32(i+1))
		le.PutUint32(slot[8:], uint32(len(out)/ndbBlockSize))
		le.PutUint32(slot[12:], uint32(b.Len()/ndbBlockSize))
		out = append(out, b.Bytes()...)
	}
	return out
}

// auditableELF builds a minimal x86-64 ELF file whose only content is a
// cargo-auditable .dep-v0 section holding the zlib-compressed JSON.
func auditableELF(tb testing.TB, depJSON string) []byte {
	tb.Helper()
	var dep bytes.Buffer
	zw := zlib.NewWriter(&dep)
	zw.Write([]byte(depJSON))
	zw.Close()
	return elfFile(elfSection{name: ".dep-v0", data: dep.Bytes()})
}

// elfSection is one PROGBITS section of a synthesized ELF file.
type elfSection struct {
	name string
	data []byte
}

// elfFile builds a minimal little-endian x86-64 ELF executable with the
// given sections and a section name table, padded to the smallest size
// the binary cataloger reads.
func elfFile(sections ...elfSection) []byte {
	shstrtab := []byte("\x00.shstrtab\x00")
	names := make([]uint32, len(sections))
	for i, s := range sections {
		names[i] = uint32(len(shstrtab))
		shstrtab = append(append(shstrtab, s.name...), 0)
	}

	le := binary.LittleEndian
	var body bytes.Buffer
	offsets := make([]uint64, len(sections))
	for i, s := range sections {
		offsets[i] = 64 + uint64(body.Len())
		body.Write(s.data)
	}
	strOff := 64 + uint64(body.Len())
	body.Write(shstrtab)
	shOff := (64 + uint64(body.Len()) + minBinarySize + 7) &^ 7

	var f bytes.Buffer
	f.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	binary.Write(&f, le, uint16(2))  // e_type: executable
	binary.Write(&f, le, uint16(62)) // e_machine: x86-64
	binary.Write(&f, le, uint32(1))  // e_version
	binary.Write(&f, le, uint64(0))  // e_entry
	binary.Write(&f, le, uint64(0))  // e_phoff
	binary.Write(&f, le, shOff)      // e_shoff
	binary.Write(&f, le, uint32(0))  // e_flags
	for _, v := range []uint16{64, 56, 0, 64, uint16(len(sections) + 2), 1} {
		binary.Write(&f, le, v) // ehsize, phentsize, phnum, shentsize, shnum, shstrndx
	}
	f.Write(body.Bytes())
	f.Write(make([]byte, int(shOff)-f.Len()))

	header := func(name, typ uint32, off, size uint64) {
		binary.Write(&f, le, name)
		binary.Write(&f, le, typ)
		for _, v := range []uint64{0, 0x1000, off, size} {
			binary.Write(&f, le, v) // flags, addr, offset, size
		}
		binary.Write(&f, le, uint32(0))
		binary.Write(&f, le, uint32(0))
		binary.Write(&f, le, uint64(1))
		binary.Write(&f, le, uint64(0))
	}
	header(0, 0, 0, 0)
	header(1, 3, strOff, uint64(len(shstrtab))) // .shstrtab, STRTAB
	for i, s := range sections {
		header(names[i], 1, offsets[i], uint64(len(s.data))) // PROGBITS
	}
	return f.Bytes()
}
