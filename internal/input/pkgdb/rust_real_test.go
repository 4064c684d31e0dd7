package pkgdb

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

// TestParseBinaryRustIntegration compiles a Rust program that embeds a
// dependency list in a .dep-v0 section the way cargo-auditable does, with
// a #[link_section] static, so the section sits in a real rustc binary.
func TestParseBinaryRustIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	rustc, err := exec.LookPath("rustc")
	if err != nil {
		home, _ := os.UserHomeDir()
		rustc = filepath.Join(home, ".cargo", "bin", "rustc")
		if _, statErr := os.Stat(rustc); statErr != nil {
			testenv.Unavailable(t, "rustc not found: install a Rust toolchain")
		}
	}

	dir := t.TempDir()
	deps := `{"packages":[` +
		`{"name":"app","version":"0.1.0","source":"local","dependencies":[1,2,3],"root":true},` +
		`{"name":"regex","version":"1.5.4","source":"crates.io","dependencies":[2]},` +
		`{"name":"memchr","version":"2.4.1","source":"crates.io"},` +
		`{"name":"cc","version":"1.0.73","source":"crates.io","kind":"build"}]}`
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, err = zw.Write([]byte(deps))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "deps.zlib"), z.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.rs"), []byte(`
#[used]
#[link_section = ".dep-v0"]
static AUDITABLE_VERSION_INFO: [u8; `+fmt.Sprint(z.Len())+`] = *include_bytes!("deps.zlib");

fn main() {
    println!("hello");
}
`), 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, rustc, "-O", "-o", filepath.Join(dir, "app"), "main.rs")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "rustc: %s", out)

	f, err := os.Open(filepath.Join(dir, "app"))
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	pkgs, err := ParseBinary(f, st.Size())
	require.NoError(t, err)

	var got []string
	for _, p := range pkgs {
		got = append(got, p.Type+" "+p.Name+"@"+p.Version)
	}
	require.Equal(t, []string{"cargo regex@1.5.4", "cargo memchr@2.4.1"}, got)
}
