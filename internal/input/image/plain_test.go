package image

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadPlainLayerSizeLimit(t *testing.T) {
	l := plainLayer(t, file("big", strings.Repeat("x", 1<<20)), file("after", "a"))
	// read compares the streamed read with the random-access one, so
	// both must stop at the limit with the same message.
	tree, problems := read(t, Options{MaxLayerSize: 64 << 10}, l)
	require.Contains(t, reasons(problems), "layer exceeds the size limit: more than 65536 bytes uncompressed")
	require.True(t, problems[0].Fatal)
	_, ok := tree.Lookup("/after")
	require.False(t, ok, "entries past the limit are not read")
}

func TestReadPlainLayerFromFile(t *testing.T) {
	blob := buildTar(t, file("etc/os-release", "ID=debian\n"), file("usr/bin/tool", strings.Repeat("E", 300<<10)))
	path := filepath.Join(t.TempDir(), "layer.tar")
	require.NoError(t, os.WriteFile(path, blob, 0o600))
	open := func() (io.ReadCloser, error) { return os.Open(path) }

	rc, err := open()
	require.NoError(t, err)
	_, ok := randomAccess(rc)
	rc.Close()
	require.True(t, ok, "a regular file allows random access")

	tree, problems := read(t, Options{}, Layer{Digest: digestOf(blob), DiffID: digestOf(blob), Open: open})
	require.Empty(t, problems)
	e, ok := tree.Lookup("/etc/os-release")
	require.True(t, ok)
	require.Equal(t, "ID=debian\n", string(e.Content))
	tool, _ := tree.Lookup("/usr/bin/tool")
	require.Len(t, tool.Content, 300<<10)

	_, problems = read(t, Options{}, Layer{DiffID: digestOf([]byte("other")), Open: open})
	require.Contains(t, reasons(problems), "diff ID mismatch: the manifest names "+digestOf([]byte("other")))
	require.True(t, problems[0].Fatal)
}

// shrunkBlob claims more bytes than it contains, like an archive member
// whose file was cut short after the archive was indexed.
type shrunkBlob struct{ *io.SectionReader }

func (shrunkBlob) Close() error { return nil }

func TestReadPlainLayerShrunk(t *testing.T) {
	blob := buildTar(t, file("a", strings.Repeat("a", 4096)), file("b", strings.Repeat("b", 200<<10)))
	cut := blob[:len(blob)/2]
	l := Layer{DiffID: digestOf(blob), Open: func() (io.ReadCloser, error) {
		return shrunkBlob{io.NewSectionReader(strings.NewReader(string(cut)), 0, int64(len(blob)))}, nil
	}}
	tree, problems, err := Read(t.Context(), []Layer{l}, Options{Name: "test-image", Request: wantAll})
	require.NoError(t, err)
	defer tree.Close()
	require.Contains(t, reasons(problems), "the layer is truncated")
	_, ok := tree.Lookup("/a")
	require.True(t, ok, "entries before the cut are kept")
}

func TestSeekReader(t *testing.T) {
	data := "0123456789abcdef"
	s := &seekReader{r: strings.NewReader(data), size: int64(len(data)), limit: 1 << 20, buf: make([]byte, 4)}
	buf := make([]byte, 3)
	n, err := s.Read(buf)
	require.NoError(t, err)
	require.Equal(t, "012", string(buf[:n]))

	pos, err := s.Seek(2, io.SeekCurrent)
	require.NoError(t, err)
	require.EqualValues(t, 5, pos)
	n, _ = s.Read(buf)
	require.Equal(t, "567", string(buf[:n]))

	pos, err = s.Seek(-2, io.SeekEnd)
	require.NoError(t, err)
	require.EqualValues(t, 14, pos)
	rest, err := io.ReadAll(s)
	require.NoError(t, err)
	require.Equal(t, "ef", string(rest))

	_, err = s.Seek(-1, io.SeekStart)
	require.Error(t, err)
	_, err = s.Seek(0, 7)
	require.Error(t, err)

	// A seek past the end reads as the end of the blob, which archive/tar
	// turns into a truncation error.
	_, err = s.Seek(100, io.SeekStart)
	require.NoError(t, err)
	n, err = s.Read(buf)
	require.Zero(t, n)
	require.ErrorIs(t, err, io.EOF)
}

func TestReadPlainLayerSpillsInPlace(t *testing.T) {
	elf := "\x7fELF" + strings.Repeat("e", 100<<10)
	blob := buildTar(t, file("usr/bin/tool", elf), hardlink("usr/bin/tool2", "usr/bin/tool"),
		file("etc/hostname", "box\n"))
	path := filepath.Join(t.TempDir(), "layer.tar")
	require.NoError(t, os.WriteFile(path, blob, 0o600))
	spillAll := func(p string, mode fs.FileMode, _ int64) Want {
		if mode.IsRegular() {
			return WantSpill
		}
		return WantNone
	}
	tmp := t.TempDir()
	l := Layer{DiffID: digestOf(blob), Open: func() (io.ReadCloser, error) { return os.Open(path) }}
	tree, problems, err := Read(t.Context(), []Layer{l}, Options{Name: "img", Request: spillAll, TempDir: tmp})
	require.NoError(t, err)
	require.Empty(t, problems)

	for _, p := range []string{"/usr/bin/tool", "/usr/bin/tool2"} {
		e, ok := tree.Lookup(p)
		require.True(t, ok)
		require.True(t, e.Spilled(), p)
		require.Empty(t, e.SpillPath, "an uncompressed layer file is read in place, not copied")
		r, err := e.OpenSpilled()
		require.NoError(t, err)
		require.EqualValues(t, len(elf), r.Size())
		got, err := io.ReadAll(r)
		require.NoError(t, err)
		require.Equal(t, elf, string(got), p)
		head := make([]byte, 4)
		_, err = r.ReadAt(head, 0)
		require.NoError(t, err)
		require.Equal(t, "\x7fELF", string(head))
		require.NoError(t, r.Close())
	}
	left, err := os.ReadDir(tmp)
	require.NoError(t, err)
	require.Empty(t, left, "no spill directory is made")

	e, _ := tree.Lookup("/usr/bin/tool")
	require.NoError(t, tree.Close())
	r, err := e.OpenSpilled()
	require.NoError(t, err)
	_, err = r.ReadAt(make([]byte, 1), 0)
	require.Error(t, err, "the layer file is closed with the tree")
}

// sparseTar returns a tar with one GNU sparse file (format 1.0) whose
// content is "data". archive/tar writes no sparse files, so the PAX header
// that marks one is made by hand: an entry whose type flag is then changed
// to 'x'.
func sparseTar(t *testing.T) []byte {
	t.Helper()
	var records string
	for _, kv := range []string{"GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=sparse",
		"GNU.sparse.realsize=4"} {
		n := len(kv) + 3
		records += fmt.Sprintf("%d %s\n", n+len(fmt.Sprint(n))-1, kv)
	}

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "PaxHeaders/sparse", Typeflag: tar.TypeReg,
		Size: int64(len(records)), Format: tar.FormatUSTAR}))
	_, err := tw.Write([]byte(records))
	require.NoError(t, err)
	require.NoError(t, tw.Flush())

	paxHeader := buf.Bytes()[:512]
	paxHeader[156] = tar.TypeXHeader
	copy(paxHeader[148:156], "        ")
	sum := 0
	for _, c := range paxHeader {
		sum += int(c)
	}
	copy(paxHeader[148:156], fmt.Sprintf("%06o\x00 ", sum))

	// The data: the sparse map (one 4-byte region at offset 0) in its own
	// block, then the region.
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "sparse", Typeflag: tar.TypeReg, Mode: 0o755, Size: 516,
		Format: tar.FormatUSTAR}))
	_, err = tw.Write([]byte("1\n0\n4\n" + strings.Repeat("\x00", 506) + "data"))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

func TestReadPlainLayerSparseFileIsCopied(t *testing.T) {
	blob := sparseTar(t)
	hdr, err := tar.NewReader(bytes.NewReader(blob)).Next()
	require.NoError(t, err)
	require.True(t, isSparse(hdr), "the crafted entry is a sparse file: %+v", hdr.PAXRecords)

	spill := func(string, fs.FileMode, int64) Want { return WantSpill }
	tree, problems := read(t, Options{Request: spill, TempDir: t.TempDir()}, blobLayer(blob, "", digestOf(blob)))
	require.Empty(t, problems)
	e, ok := tree.Lookup("/sparse")
	require.True(t, ok)
	require.True(t, e.Spilled())

	// read compared both reads; check the random-access one copies.
	tree2, _, err := Read(t.Context(), []Layer{randomAccessLayer(blobLayer(blob, "", digestOf(blob)))},
		Options{Name: "img", Request: spill, TempDir: t.TempDir()})
	require.NoError(t, err)
	defer tree2.Close()
	e2, _ := tree2.Lookup("/sparse")
	require.NotEmpty(t, e2.SpillPath, "a sparse file's bytes are not in order in the blob, so it is copied")

	r, err := e2.OpenSpilled()
	require.NoError(t, err)
	defer r.Close()
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, "data", string(got))
}

func TestReadDeferDigests(t *testing.T) {
	blob := buildTar(t, file("etc/os-release", "ID=debian\n"), file("usr/lib/big", strings.Repeat("z", 8<<20)))
	l := Layer{DiffID: digestOf([]byte("other")), Open: func() (io.ReadCloser, error) {
		return memBlob{bytes.NewReader(blob)}, nil
	}}
	opts := Options{Name: "test-image", Request: wantAll, DeferDigests: true}

	tree, problems, err := Read(t.Context(), []Layer{l}, opts)
	require.NoError(t, err)
	require.Empty(t, problems, "the mismatch waits for Verify")
	_, ok := tree.Lookup("/etc/os-release")
	require.True(t, ok, "the tree is complete before Verify")
	require.LessOrEqual(t, tree.Hashing(), 1)
	verified := tree.Verify()
	require.Zero(t, tree.Hashing(), "Verify waits for every check")
	require.Len(t, verified, 1)
	require.True(t, verified[0].Fatal)
	require.Contains(t, verified[0].Reason, "diff ID mismatch: the manifest names "+digestOf([]byte("other")))
	require.NoError(t, tree.Close())

	// Closing without Verify stops the hashing and reports nothing.
	tree, _, err = Read(t.Context(), []Layer{l}, opts)
	require.NoError(t, err)
	require.NoError(t, tree.Close())
	require.Empty(t, tree.Verify())
}

// countingReaderAt records the length of each ReadAt request.
type countingReaderAt struct {
	r     io.ReaderAt
	sizes []int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.sizes = append(c.sizes, len(p))
	return c.r.ReadAt(p, off)
}

func TestSeekReaderFill(t *testing.T) {
	data := strings.Repeat("0123456789", 100<<10)
	c := &countingReaderAt{r: strings.NewReader(data)}
	s := &seekReader{r: c, size: int64(len(data)), limit: 1 << 30, buf: make([]byte, 64<<10)}

	// A small read after a seek fills a page, not the whole buffer.
	_, err := s.Seek(200<<10, io.SeekStart)
	require.NoError(t, err)
	small := make([]byte, 512)
	_, err = io.ReadFull(s, small)
	require.NoError(t, err)
	require.Equal(t, data[200<<10:200<<10+512], string(small))
	require.Equal(t, []int{seekFill}, c.sizes)

	// Reading on past the buffer fills all of it.
	rest := make([]byte, seekFill)
	_, err = io.ReadFull(s, rest)
	require.NoError(t, err)
	require.Equal(t, data[200<<10+512:200<<10+512+seekFill], string(rest))
	require.Equal(t, []int{seekFill, 64 << 10}, c.sizes)

	// A read as large as the buffer goes straight into the caller's slice,
	// in one call.
	c.sizes = nil
	_, err = s.Seek(500<<10, io.SeekStart)
	require.NoError(t, err)
	large := make([]byte, 300<<10)
	n, err := s.Read(large)
	require.NoError(t, err)
	require.Equal(t, len(large), n)
	require.Equal(t, data[500<<10:800<<10], string(large))
	require.Equal(t, []int{300 << 10}, c.sizes)
}
