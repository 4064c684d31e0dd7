package image

import (
	"archive/tar"
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// linkedArchive builds a docker save archive in the layout of Docker
// before 25, where a layer that repeats an earlier one is a link to the
// first copy's layer.tar. second is the link target of 2/layer.tar.
func linkedArchive(t *testing.T, second string, linkType byte) []byte {
	t.Helper()
	layer := tarOf(t, member{"etc/os-release", []byte("ID=debian\nVERSION_ID=\"12\"\n")})
	cfg := configFor(t, [][]byte{layer, layer}, "amd64")
	manifest := mustJSON(t, []dockerManifestEntry{{Config: "config.json", RepoTags: []string{"test/app:1"},
		Layers: []string{"1/layer.tar", "2/layer.tar"}}})

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	write := func(hdr *tar.Header, data []byte) {
		hdr.Mode, hdr.Size = 0o644, int64(len(data))
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write(data)
		require.NoError(t, err)
	}
	write(&tar.Header{Name: "config.json", Typeflag: tar.TypeReg}, cfg)
	write(&tar.Header{Name: "1/layer.tar", Typeflag: tar.TypeReg}, layer)
	write(&tar.Header{Name: "2/layer.tar", Typeflag: linkType, Linkname: second}, nil)
	write(&tar.Header{Name: "manifest.json", Typeflag: tar.TypeReg}, manifest)
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

func TestOpenArchiveLinkedLayer(t *testing.T) {
	tests := []struct {
		name     string
		target   string
		linkType byte
		missing  bool
	}{
		{"relative symlink", "../1/layer.tar", tar.TypeSymlink, false},
		{"hard link", "1/layer.tar", tar.TypeLink, false},
		{"link out of the archive", "../../1/layer.tar", tar.TypeSymlink, true},
		{"absolute symlink", "/1/layer.tar", tar.TypeSymlink, true},
		{"link to itself", "layer.tar", tar.TypeSymlink, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, linkedArchive(t, tt.target, tt.linkType))
			im, err := Open(context.Background(), "docker-archive:"+path, Options{})
			require.NoError(t, err)
			defer im.Close()
			require.Len(t, im.Layers, 2)

			tree, reasons := readTree(t, im)
			if tt.missing {
				require.Contains(t, reasons, "2/layer.tar")
				return
			}
			require.Empty(t, reasons)
			e, ok := tree.Lookup("/etc/os-release")
			require.True(t, ok)
			require.Equal(t, 1, e.LayerIndex, "the repeated layer is read too")
		})
	}
}
