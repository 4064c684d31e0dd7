package image

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
)

// te is one entry of a crafted tar.
type te struct {
	name string
	typ  byte
	body string
	link string
	mode int64
}

func file(name, body string) te { return te{name: name, typ: tar.TypeReg, body: body, mode: 0o644} }
func dir(name string) te        { return te{name: name, typ: tar.TypeDir, mode: 0o755} }
func symlink(name, target string) te {
	return te{name: name, typ: tar.TypeSymlink, link: target, mode: 0o777}
}
func hardlink(name, target string) te {
	return te{name: name, typ: tar.TypeLink, link: target, mode: 0o644}
}
func modeFile(name string, mode int64) te {
	return te{name: name, typ: tar.TypeReg, body: "x", mode: mode}
}

func buildTar(t testing.TB, entries ...te) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: e.mode,
			Size: int64(len(e.body)), Format: tar.FormatPAX}
		if e.typ != tar.TypeReg {
			hdr.Size = 0
		}
		if e.typ == tar.TypeChar {
			hdr.Devmajor, hdr.Devminor = 1, 3
		}
		require.NoError(t, tw.WriteHeader(hdr))
		if e.typ == tar.TypeReg {
			_, err := tw.Write([]byte(e.body))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// gzipBest compresses at the best level, which gives the highest ratio
// deflate reaches.
func gzipBest(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func zstdBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	return enc.EncodeAll(b, nil)
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// plainLayer returns an uncompressed layer whose digest and diff ID match.
func plainLayer(t testing.TB, entries ...te) Layer {
	b := buildTar(t, entries...)
	return blobLayer(b, digestOf(b), digestOf(b))
}

func blobLayer(blob []byte, digest, diffID string) Layer {
	return Layer{Digest: digest, DiffID: diffID, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(blob)), nil
	}}
}

func wantAll(string, fs.FileMode, int64) Want { return WantContent }

// read reads layers twice, as streams and as blobs that allow random
// access like a layout file or an archive member, and requires both reads
// to give the same tree and problems. It returns the streamed read.
func read(t *testing.T, opts Options, layers ...Layer) (*FileTree, []finding.Problem) {
	t.Helper()
	opts.Name = "test-image"
	if opts.Request == nil {
		opts.Request = wantAll
	}
	tree, problems, err := Read(context.Background(), layers, opts)
	require.NoError(t, err)
	t.Cleanup(func() { tree.Close() })

	seekable := make([]Layer, len(layers))
	for i, l := range layers {
		seekable[i] = randomAccessLayer(l)
	}
	tree2, problems2, err := Read(context.Background(), seekable, opts)
	require.NoError(t, err)
	t.Cleanup(func() { tree2.Close() })
	if diff := cmp.Diff(summary(tree, problems), summary(tree2, problems2)); diff != "" {
		t.Fatalf("streamed and random-access reads differ (-stream +random access):\n%s", diff)
	}

	// With DeferDigests, Read leaves digest problems to Verify, and the
	// two together report what a read that waits reports.
	deferred := opts
	deferred.DeferDigests = true
	tree3, problems3, err := Read(context.Background(), seekable, deferred)
	require.NoError(t, err)
	t.Cleanup(func() { tree3.Close() })
	problems3 = append(problems3, tree3.Verify()...)
	require.Empty(t, tree3.Verify(), "Verify reports each check once")
	sorted := func(ps []finding.Problem) []finding.Problem {
		ps = slices.Clone(ps)
		slices.SortStableFunc(ps, func(a, b finding.Problem) int { return strings.Compare(a.Reason, b.Reason) })
		return ps
	}
	if diff := cmp.Diff(summary(tree2, sorted(problems2)), summary(tree3, sorted(problems3))); diff != "" {
		t.Fatalf("waiting and deferred digest checks differ (-wait +deferred):\n%s", diff)
	}
	return tree, problems
}

// randomAccessLayer returns l with an Open whose result can be read at
// any offset.
func randomAccessLayer(l Layer) Layer {
	open := l.Open
	l.Open = func() (io.ReadCloser, error) {
		rc, err := open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			return nil, err
		}
		return memBlob{bytes.NewReader(b)}, nil
	}
	return l
}

type memBlob struct{ *bytes.Reader }

func (memBlob) Close() error { return nil }

// summary is what a read produced, without spill file names.
func summary(tree *FileTree, problems []finding.Problem) []string {
	var out []string
	for _, list := range [][]*Entry{tree.Entries(), tree.Removed()} {
		for _, e := range list {
			spilled := "none"
			if e.Spilled() {
				r, err := e.OpenSpilled()
				if err != nil {
					spilled = err.Error()
				} else {
					b, err := io.ReadAll(r)
					r.Close()
					spilled = fmt.Sprintf("%q %v", b, err)
				}
			}
			out = append(out, fmt.Sprintf("%s mode=%v size=%d uid=%d gid=%d link=%q layer=%d %s removed=%d "+
				"content=%q truncated=%t spilled=%s", e.Path, e.Mode, e.Size, e.UID, e.GID, e.Linkname,
				e.LayerIndex, e.LayerDigest, e.RemovedBy, e.Content, e.Truncated, spilled))
		}
	}
	for _, p := range problems {
		out = append(out, fmt.Sprintf("problem %s %s fatal=%t: %s", p.Path, p.Kind, p.Fatal, p.Reason))
	}
	return out
}

func paths(es []*Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Path)
	}
	return out
}

func reasons(ps []finding.Problem) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Reason)
	}
	return strings.Join(out, "\n")
}

func TestReadMergesWhiteouts(t *testing.T) {
	l0 := plainLayer(t, dir("etc/"), file("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
		file("etc/secret", "s3cret"), dir("opt/"), dir("opt/app/"), file("opt/app/old", "1"),
		file("opt/app/keep", "2"), dir("tmp/"))
	l1 := plainLayer(t, file("etc/.wh.secret", ""), file("opt/app/.wh..wh..opq", ""),
		file("opt/app/new", "3"), file("etc/passwd", "root:x:0:0::/root:/bin/bash\n"))
	tree, problems := read(t, Options{}, l0, l1)
	require.Empty(t, problems)

	want := []string{"/", "/etc", "/etc/passwd", "/opt", "/opt/app", "/opt/app/new", "/tmp"}
	if diff := cmp.Diff(want, paths(tree.Entries())); diff != "" {
		t.Fatalf("entries (-want +got):\n%s", diff)
	}
	e, ok := tree.Lookup("/etc/passwd")
	require.True(t, ok)
	require.Equal(t, 1, e.LayerIndex)
	require.Equal(t, l1.DiffID, e.LayerDigest)
	require.Equal(t, "root:x:0:0::/root:/bin/bash\n", string(e.Content))

	removed := tree.Removed()
	require.Equal(t, []string{"/etc/passwd", "/etc/secret", "/opt/app/keep", "/opt/app/old"}, paths(removed))
	for _, r := range removed {
		require.Equal(t, 0, r.LayerIndex, r.Path)
		require.Equal(t, 1, r.RemovedBy, r.Path)
	}
	require.Equal(t, "s3cret", string(removed[1].Content))
}

func TestReadRemovedSkipsUnchangedCopies(t *testing.T) {
	l0 := plainLayer(t, dir("app/"), file("app/Dockerfile", "ARG TOKEN=x"), file("app/compose.yaml", "a: 1"),
		file("app/changed", "v1"), file("app/gone", "g"), file("app/readded", "r"))
	// A chmod -R layer copies every file up with a new mode. Besides, one
	// file changed, one was deleted, and one was deleted and written back
	// with the same bytes.
	chmod := func(e te) te { e.mode = 0o600; return e }
	l1 := plainLayer(t, dir("app/"), chmod(file("app/Dockerfile", "ARG TOKEN=x")),
		chmod(file("app/compose.yaml", "a: 1")), file("app/changed", "v2"), file("app/.wh.gone", ""),
		file("app/.wh.readded", ""), file("app/readded", "r"))
	tree, problems := read(t, Options{}, l0, l1)
	require.Empty(t, problems)
	removed := tree.Removed()
	require.Equal(t, []string{"/app/changed", "/app/gone"}, paths(removed))
	require.Equal(t, "v1", string(removed[0].Content))
}

func TestReadContentLayerOfUnchangedCopies(t *testing.T) {
	chmod := func(e te) te { e.mode = 0o600; return e }
	l0 := plainLayer(t, file("app/app.ini", "k=v\n"), file("app/edited", "v1"))
	l1 := plainLayer(t, chmod(file("app/app.ini", "k=v\n")), chmod(file("app/edited", "v1")))
	l2 := plainLayer(t, chmod(file("app/app.ini", "k=v\n")), file("app/edited", "v2"))
	tree, problems := read(t, Options{}, l0, l1, l2)
	require.Empty(t, problems)

	ini, ok := tree.Lookup("/app/app.ini")
	require.True(t, ok)
	require.Equal(t, 2, ini.LayerIndex)
	index, digest := ini.ContentLayer()
	require.Equal(t, 0, index)
	require.Equal(t, l0.DiffID, digest)

	// The copy that layer 2 replaced with new bytes goes to Removed and
	// still names layer 0, whose bytes layer 1 only copied up.
	removed := tree.Removed()
	require.Equal(t, []string{"/app/edited"}, paths(removed))
	require.Equal(t, 1, removed[0].LayerIndex)
	index, digest = removed[0].ContentLayer()
	require.Equal(t, 0, index)
	require.Equal(t, l0.DiffID, digest)

	edited, ok := tree.Lookup("/app/edited")
	require.True(t, ok)
	index, digest = edited.ContentLayer()
	require.Equal(t, 2, index)
	require.Equal(t, l2.DiffID, digest)
}

func TestReadRemovedKeepsUncomparedCopies(t *testing.T) {
	// Contents over the cap are not kept, so the copies cannot be
	// compared and the earlier one stays in Removed.
	l0 := plainLayer(t, file("big", "0123456789"))
	l1 := plainLayer(t, file("big", "0123456789"))
	tree, _ := read(t, Options{MaxContent: 4}, l0, l1)
	require.Equal(t, []string{"/big"}, paths(tree.Removed()))
}

func TestReadRemovedComparesSpilledCopies(t *testing.T) {
	spill := func(string, fs.FileMode, int64) Want { return WantSpill }
	body := strings.Repeat("spilled ", 10000)
	l0 := plainLayer(t, file("lib.so", body), file("other.so", body))
	l1 := plainLayer(t, file("lib.so", body), file("other.so", body[:len(body)-1]+"X"))
	tree, problems := read(t, Options{Request: spill}, l0, l1)
	require.Empty(t, problems)
	require.Equal(t, []string{"/other.so"}, paths(tree.Removed()))
}

func TestReadCompressions(t *testing.T) {
	raw := buildTar(t, file("a", "alpha"))
	tests := []struct {
		name string
		blob []byte
	}{
		{"plain", raw},
		{"gzip", gzipBytes(t, raw)},
		{"zstd", zstdBytes(t, raw)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree, problems := read(t, Options{}, blobLayer(tc.blob, digestOf(tc.blob), digestOf(raw)))
			require.Empty(t, problems)
			e, ok := tree.Lookup("/a")
			require.True(t, ok)
			require.Equal(t, "alpha", string(e.Content))
		})
	}
}

func TestReadRequestDecidesContent(t *testing.T) {
	l := plainLayer(t, file("etc/os-release", "ID=debian\n"), file("usr/bin/big", "binary"),
		file("usr/lib/x.jar", "PK"))
	req := func(p string, _ fs.FileMode, _ int64) Want {
		switch {
		case p == "/etc/os-release":
			return WantContent
		case strings.HasSuffix(p, ".jar"):
			return WantSpill
		}
		return WantNone
	}
	tree, problems := read(t, Options{Request: req, TempDir: t.TempDir()}, l)
	require.Empty(t, problems)

	osr, _ := tree.Lookup("/etc/os-release")
	require.Equal(t, "ID=debian\n", string(osr.Content))
	bin, _ := tree.Lookup("/usr/bin/big")
	require.Nil(t, bin.Content)
	jar, _ := tree.Lookup("/usr/lib/x.jar")
	require.NotEmpty(t, jar.SpillPath)
	got, err := os.ReadFile(jar.SpillPath)
	require.NoError(t, err)
	require.Equal(t, "PK", string(got))
	info, err := os.Stat(filepath.Dir(jar.SpillPath))
	require.NoError(t, err)
	require.Equal(t, fs.FileMode(0o700), info.Mode().Perm())

	require.NoError(t, tree.Close())
	_, err = os.Stat(jar.SpillPath)
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestReadContentCaps(t *testing.T) {
	l := plainLayer(t, file("a", "12345"), file("b", "123"), file("c", "1234"))
	tree, problems := read(t, Options{MaxContent: 4, MaxTotalContent: 6}, l)
	a, _ := tree.Lookup("/a")
	require.True(t, a.Truncated)
	require.Nil(t, a.Content)
	b, _ := tree.Lookup("/b")
	require.Equal(t, "123", string(b.Content))
	c, _ := tree.Lookup("/c")
	require.True(t, c.Truncated)
	require.Contains(t, reasons(problems), "/a is 5 bytes, over the 4-byte content cap")
	require.Contains(t, reasons(problems), "/c not read: the 6-byte cap on all kept contents is reached")
}

func TestReadHostileArchives(t *testing.T) {
	zeros := make([]byte, 4<<20)
	bombTar := buildTar(t, file("zeros", string(zeros)))
	bomb := gzipBytes(t, bombTar)
	good := buildTar(t, file("a", "alpha"), file("b", "beta"))
	gz := gzipBytes(t, good)

	tests := []struct {
		name    string
		layers  []Layer
		opts    Options
		problem string
		fatal   bool // the problem leaves the analysis incomplete or untrusted
		check   func(t *testing.T, tree *FileTree)
	}{
		{
			name:    "absolute path",
			layers:  []Layer{plainLayer(t, file("/etc/abs", "x"))},
			problem: `entry "/etc/abs" has an absolute path; it is read as /etc/abs inside the image`,
			check: func(t *testing.T, tree *FileTree) {
				_, ok := tree.Lookup("/etc/abs")
				require.True(t, ok)
			},
		},
		{
			name:    "dot dot escape",
			fatal:   true,
			layers:  []Layer{plainLayer(t, file("../../etc/evil", "x"), file("a/../../b", "y"))},
			problem: `entry "../../etc/evil" points outside the image root and is skipped`,
			check: func(t *testing.T, tree *FileTree) {
				require.Equal(t, []string{"/"}, paths(tree.Entries()))
			},
		},
		{
			name:    "symlink outside",
			layers:  []Layer{plainLayer(t, dir("a/"), symlink("a/out", "../../../etc/shadow"), file("etc/shadow", "s"))},
			problem: "symbolic link /a/out -> ../../../etc/shadow points above the image root; it is resolved inside the image",
			check: func(t *testing.T, tree *FileTree) {
				e, ok := tree.Resolve("/a/out")
				require.True(t, ok)
				require.Equal(t, "/etc/shadow", e.Path)
			},
		},
		{
			name:    "hard link outside",
			fatal:   true,
			layers:  []Layer{plainLayer(t, hardlink("a", "../../etc/passwd"))},
			problem: `hard link target of /a "../../etc/passwd" points outside the image root and is skipped`,
			check: func(t *testing.T, tree *FileTree) {
				e, ok := tree.Lookup("/a")
				require.True(t, ok)
				require.Nil(t, e.Content)
			},
		},
		{
			name:    "link loop",
			layers:  []Layer{plainLayer(t, symlink("x", "y"), symlink("y", "/x"))},
			problem: "symbolic link /x -> y is part of a loop",
			check: func(t *testing.T, tree *FileTree) {
				_, ok := tree.Resolve("/x/file")
				require.False(t, ok)
			},
		},
		{
			name: "device file",
			layers: []Layer{plainLayer(t, te{name: "dev/null", typ: tar.TypeChar, mode: 0o666},
				te{name: "etc/mem", typ: tar.TypeChar, mode: 0o666})},
			problem: "device file /etc/mem (character device 1:3) outside /dev kept as metadata only",
			check: func(t *testing.T, tree *FileTree) {
				e, ok := tree.Lookup("/etc/mem")
				require.True(t, ok)
				require.NotZero(t, e.Mode&fs.ModeCharDevice)
			},
		},
		{
			name:    "duplicate entry",
			layers:  []Layer{plainLayer(t, file("a", "first"), file("a", "second"))},
			problem: "duplicate entry /a; the last one is used",
			check: func(t *testing.T, tree *FileTree) {
				e, _ := tree.Lookup("/a")
				require.Equal(t, "second", string(e.Content))
			},
		},
		{
			name:    "decompression bomb by size",
			layers:  []Layer{blobLayer(bomb, digestOf(bomb), digestOf(bombTar))},
			opts:    Options{MaxLayerSize: 1 << 20},
			problem: "layer exceeds the size limit: more than 1048576 bytes uncompressed",
		},
		{
			name:    "truncated gzip",
			fatal:   true,
			layers:  []Layer{blobLayer(gz[:len(gz)-20], "", digestOf(good))},
			problem: "the layer is truncated",
		},
		{
			name:    "blob digest mismatch",
			fatal:   true,
			layers:  []Layer{blobLayer(gz, digestOf([]byte("other")), digestOf(good))},
			problem: "blob digest mismatch: the manifest names " + digestOf([]byte("other")),
			check: func(t *testing.T, tree *FileTree) {
				_, ok := tree.Lookup("/b")
				require.True(t, ok)
			},
		},
		{
			name:    "diff ID mismatch",
			fatal:   true,
			layers:  []Layer{blobLayer(good, "", digestOf([]byte("other")))},
			problem: "diff ID mismatch",
		},
		{
			name:  "missing blob",
			fatal: true,
			layers: []Layer{{Digest: "sha256:00", Open: func() (io.ReadCloser, error) {
				return nil, fs.ErrNotExist
			}}},
			problem: "file does not exist; its files are missing from the analysis",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree, problems := read(t, tc.opts, tc.layers...)
			require.Contains(t, reasons(problems), tc.problem)
			for _, p := range problems {
				require.Equal(t, "test-image", p.Path)
			}
			if tc.fatal {
				fatal := false
				for _, p := range problems {
					fatal = fatal || p.Fatal
				}
				require.True(t, fatal, "the problem must make the scan fail")
			}
			if tc.check != nil {
				tc.check(t, tree)
			}
		})
	}
}

// lowerBombCheck scales the ratio guard down so tests need megabytes,
// not gigabytes.
func lowerBombCheck(t *testing.T, size int64) {
	old := bombCheckAfter
	bombCheckAfter = size
	t.Cleanup(func() { bombCheckAfter = old })
}

func TestReadDecompressionBombRatio(t *testing.T) {
	lowerBombCheck(t, 1<<20)
	bombTar := buildTar(t, file("zeros", string(make([]byte, 16<<20))), file("after", "x"))
	bomb := zstdBytes(t, bombTar)
	tree, problems := read(t, Options{}, blobLayer(bomb, "", ""))
	require.Contains(t, reasons(problems), "a ratio over 1100:1")
	_, ok := tree.Lookup("/after")
	require.False(t, ok, "entries after the bomb should not be read")
}

func TestReadZeroFileUnderRatioCheck(t *testing.T) {
	// A real layer with a 300 MiB file of zeros: gzip reaches about
	// 1000:1 on it, and it is smaller than the size where the ratio
	// applies.
	require.Greater(t, bombCheckAfter, int64(300<<20))
	lowerBombCheck(t, 4<<20)
	layerTar := buildTar(t, file("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
		file("var/lib/zeros.img", string(make([]byte, 3<<20))), file("etc/group", "root:x:0:\n"))
	tree, problems := read(t, Options{}, blobLayer(gzipBest(t, layerTar), "", ""))
	require.Empty(t, problems)
	_, ok := tree.Lookup("/etc/group")
	require.True(t, ok, "the entry after the zeros is missing")
}

func TestReadGzipZerosPastRatioCheck(t *testing.T) {
	// Past the size where the ratio applies, a gzip stream still passes:
	// deflate cannot exceed about 1032:1.
	lowerBombCheck(t, 1<<20)
	layerTar := buildTar(t, file("zeros", string(make([]byte, 8<<20))), file("after", "x"))
	tree, problems := read(t, Options{}, blobLayer(gzipBest(t, layerTar), "", ""))
	require.Empty(t, problems)
	_, ok := tree.Lookup("/after")
	require.True(t, ok, "the entry after the zeros is missing")
}

func TestReadHardLinkContent(t *testing.T) {
	l0 := plainLayer(t, file("usr/bin/python3.11", "ELF"))
	l1 := plainLayer(t, hardlink("usr/bin/a", "usr/bin/b"), file("usr/bin/b", "B"),
		hardlink("usr/bin/c", "usr/bin/b"), hardlink("usr/bin/python3", "usr/bin/python3.11"))
	tree, problems := read(t, Options{}, l0, l1)
	require.Contains(t, reasons(problems), "hard link /usr/bin/a points to /usr/bin/b, which is not a file")
	c, _ := tree.Lookup("/usr/bin/c")
	require.Equal(t, "B", string(c.Content))
	py, _ := tree.Lookup("/usr/bin/python3")
	require.Equal(t, "ELF", string(py.Content))
	require.Equal(t, "/usr/bin/python3.11", py.Linkname)
}

func TestTreeResolve(t *testing.T) {
	l := plainLayer(t, dir("usr/"), dir("usr/bin/"), file("usr/bin/sh", "ELF"), symlink("bin", "usr/bin"),
		symlink("usr/bin/rel", "../bin/sh"), symlink("abs", "/bin/sh"), symlink("dangling", "nope"))
	tree, _ := read(t, Options{}, l)
	tests := []struct {
		path   string
		follow bool
		want   string
		ok     bool
	}{
		{"/bin/sh", true, "/usr/bin/sh", true},
		{"/bin/sh", false, "/usr/bin/sh", true},
		{"/bin", false, "/bin", true},
		{"/bin", true, "/usr/bin", true},
		{"/usr/bin/rel", true, "/usr/bin/sh", true},
		{"/abs", true, "/usr/bin/sh", true},
		{"/dangling", true, "", false},
		{"/dangling", false, "/dangling", true},
		{"/usr/bin/sh/x", true, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			lookup := tree.Lookup
			if tc.follow {
				lookup = tree.Resolve
			}
			e, ok := lookup(tc.path)
			require.Equal(t, tc.ok, ok)
			if ok {
				require.Equal(t, tc.want, e.Path)
			}
		})
	}
}

func TestTreeFS(t *testing.T) {
	l := plainLayer(t, dir("etc/"), file("etc/os-release", "ID=debian\n"), symlink("etc/link", "os-release"))
	tree, _ := read(t, Options{}, l)
	require.NoError(t, fstest.TestFS(tree.FS(), "etc/os-release", "etc/link"))
	b, err := fs.ReadFile(tree.FS(), "etc/link")
	require.NoError(t, err)
	require.Equal(t, "ID=debian\n", string(b))
}

func TestTreeFSNotRequested(t *testing.T) {
	l := plainLayer(t, file("a", "alpha"))
	tree, _ := read(t, Options{Request: func(string, fs.FileMode, int64) Want { return WantNone }}, l)
	_, err := fs.ReadFile(tree.FS(), "a")
	require.ErrorIs(t, err, errNotRequested)
}

func TestReadDir(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "etc"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "etc/os-release"), []byte("ID=alpine\n"), 0o644))
	require.NoError(t, os.Symlink("/etc/os-release", filepath.Join(root, "os")))
	require.NoError(t, os.Symlink("../../../../etc/hostname", filepath.Join(root, "escape")))

	tree, problems, err := ReadDir(context.Background(), root, Options{Request: wantAll, Name: root})
	require.NoError(t, err)
	defer tree.Close()
	require.Contains(t, reasons(problems), "symbolic link /escape -> ../../../../etc/hostname points above")
	e, ok := tree.Resolve("/os")
	require.True(t, ok)
	require.Equal(t, "ID=alpine\n", string(e.Content))
	require.Equal(t, -1, e.LayerIndex)
	_, ok = tree.Resolve("/escape")
	require.False(t, ok)
}

func TestCombine(t *testing.T) {
	a := func(p string, _ fs.FileMode, _ int64) Want {
		if p == "/a" {
			return WantContent
		}
		return WantNone
	}
	b := func(p string, _ fs.FileMode, _ int64) Want {
		if p == "/a" || p == "/b" {
			return WantSpill
		}
		return WantNone
	}
	req := Combine(a, nil, b)
	require.Equal(t, WantSpill, req("/a", 0, 0))
	require.Equal(t, WantSpill, req("/b", 0, 0))
	require.Equal(t, WantNone, req("/c", 0, 0))
}

func TestReadTrackedDirectory(t *testing.T) {
	req := func(p string, mode fs.FileMode, _ int64) Want {
		switch {
		case p == "/app/.git":
			return WantTracked
		case mode.IsDir():
			return WantContent // clamped: a directory has no content
		}
		return WantNone
	}
	tree, problems := read(t, Options{Request: req},
		plainLayer(t, dir("app"), dir("app/.git"), dir("app/src"), file("app/.git/HEAD", "ref\n")),
		plainLayer(t, file("app/.wh..git", ""), file("app/.wh.src", "")))
	require.Empty(t, problems)
	require.Equal(t, []string{"/app/.git", "/app/src"}, paths(tree.Removed()))
	for _, e := range tree.Removed() {
		require.Equal(t, WantTracked, e.want, e.Path)
		require.Equal(t, 1, e.RemovedBy, e.Path)
		require.Nil(t, e.Content, e.Path)
	}
	_, ok := tree.Lookup("/app/.git")
	require.False(t, ok)
}
