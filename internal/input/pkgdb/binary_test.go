package pkgdb

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSplitGoSymbol(t *testing.T) {
	tests := []struct {
		in, pkg, fn string
		ok          bool
	}{
		{"golang.org/x/text/language.(*Tag).String", "golang.org/x/text/language", "Tag.String", true},
		{"net/http.(*Server).Serve", "net/http", "Server.Serve", true},
		{"fmt.Println", "fmt", "Println", true},
		{"example.com/m/p.Map[go.shape.*example.com/m/q.T]", "example.com/m/p", "Map", true},
		{"internal/sync.HashTrieMap[go.shape.interface {},go.shape.int].Load", "internal/sync", "HashTrieMap.Load", true},
		{"type:.eq.[2]interface {}", "", "", false},
		{"go:buildid", "", "", false},
		{"noDot", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			pkg, fn, ok := splitGoSymbol(tt.in)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.pkg, pkg)
			require.Equal(t, tt.fn, fn)
		})
	}
}

func TestAssignGoSymbols(t *testing.T) {
	pkgs := []Package{
		{Name: "stdlib"},
		{Name: "golang.org/x/net"},
		{Name: "golang.org/x/net/v2"},
	}
	assignGoSymbols(pkgs, []string{
		"net/http.Get", "golang.org/x/net/html.Parse", "golang.org/x/net/v2/html.Parse",
		"main.main", "github.com/other/mod.F", "golang.org/x/net/html.Parse",
	})
	require.Equal(t, []string{"net/http.Get"}, pkgs[0].Symbols)
	require.Equal(t, []string{"golang.org/x/net/html.Parse"}, pkgs[1].Symbols)
	require.Equal(t, []string{"golang.org/x/net/v2/html.Parse"}, pkgs[2].Symbols)
}

func TestGoSymbolsHostilePCLNTab(t *testing.T) {
	// A Go 1.20 pclntab header that claims 2^40 functions in 64 bytes.
	pcln := make([]byte, 64)
	binary.LittleEndian.PutUint32(pcln, 0xfffffff1)
	pcln[6], pcln[7] = 1, 8
	binary.LittleEndian.PutUint64(pcln[8:], 1<<40)

	f, err := elf.NewFile(bytes.NewReader(elfFile(
		elfSection{name: ".text", data: make([]byte, 16)},
		elfSection{name: ".gopclntab", data: pcln},
	)))
	require.NoError(t, err)
	require.Empty(t, goSymbols(f))
	require.False(t, plausiblePCLNTab(pcln, binary.LittleEndian))

	binary.LittleEndian.PutUint64(pcln[8:], 2)
	require.True(t, plausiblePCLNTab(pcln, binary.LittleEndian))
}
