package profile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestTraceRoundTrip(t *testing.T) {
	want := sampleTrace()
	want.Denied = []Denial{{Arch: "SCMP_ARCH_X86_64", Syscall: "openat", Errno: "EACCES", Path: "/root", Count: 2}}
	want.UnknownSyscalls = map[string][]int{"SCMP_ARCH_X86_64": {999}}

	var buf bytes.Buffer
	require.NoError(t, want.Write(&buf))
	got, err := ReadTrace(&buf)
	require.NoError(t, err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func TestReadTraceErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"not json", "syscalls: read", "decoding trace"},
		{"unknown field", `{"version": 1, "syscals": {}}`, "unknown field"},
		{"wrong version", `{"version": 7, "syscalls": {}}`, "unsupported trace version 7"},
		{"count as string", `{"version": 1, "syscalls": {"SCMP_ARCH_X86_64": {"read": "1"}}}`, "decoding trace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTrace(strings.NewReader(tt.input))
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestReadTraceTestdata(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "trace-sh.json"))
	require.NoError(t, err)
	defer f.Close()
	tr, err := ReadTrace(f)
	require.NoError(t, err)
	require.Contains(t, tr.Syscalls["SCMP_ARCH_X86_64"], "execve")
	require.NotEmpty(t, tr.Files)
}

func TestMergeAccess(t *testing.T) {
	require.Equal(t, "rw", mergeAccess("w", "r"))
	require.Equal(t, "rwmx", mergeAccess("rx", "mw"))
	require.Equal(t, "", mergeAccess("", ""))
}

func TestOpenAccess(t *testing.T) {
	tests := []struct {
		name   string
		flags  uint64
		want   string
		wantOK bool
	}{
		{"read only", 0, "r", true},
		{"write only", 0x1, "w", true},
		{"read write", 0x2, "rw", true},
		{"create", 0x1 | 0x40, "w", true},
		{"append", 0x1 | 0x400, "a", true},
		{"read with truncate", 0x200, "rw", true},
		{"path only", 0x200000, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := openAccess(tt.flags)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func FuzzReadTrace(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "trace-sh.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"version": 1, "syscalls": {}}`))
	f.Add([]byte(`{"version": 1, "syscalls": null, "files": [{"path": "/x", "access": "rwx"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ReadTrace(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever decodes must generate, or fail with an error, without a panic.
		GenerateSeccomp(tr, SeccompOptions{})
		GenerateAppArmor(&bytes.Buffer{}, tr, AppArmorOptions{Name: "fuzz"})
	})
}
