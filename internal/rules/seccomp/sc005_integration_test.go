package seccomp

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockward/dockward/internal/testenv"
)

// writeInt80Mkdir writes a static x86_64 program that calls mkdir("/d")
// through the 32-bit int $0x80 ABI and exits with the call's result.
func writeInt80Mkdir(t *testing.T) string {
	t.Helper()
	const base, codeOff = 0x400000, 64 + 56
	pathAddr := uint32(base + codeOff + 26)
	code := []byte{0xb8, 39, 0, 0, 0} // mov eax, 39 (mkdir on i386)
	code = append(code, 0xbb)         // mov ebx, pathAddr
	code = binary.LittleEndian.AppendUint32(code, pathAddr)
	code = append(code,
		0xb9, 0xed, 0x01, 0, 0, // mov ecx, 0755
		0xcd, 0x80, // int $0x80
		0x89, 0xc7, // mov edi, eax
		0xb8, 60, 0, 0, 0, // mov eax, 60 (exit)
		0x0f, 0x05, // syscall
	)
	code = append(code, "/d\x00"...)
	size := uint64(codeOff + len(code))

	var elf []byte
	elf = append(elf, 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	elf = binary.LittleEndian.AppendUint16(elf, 2)    // ET_EXEC
	elf = binary.LittleEndian.AppendUint16(elf, 0x3e) // EM_X86_64
	elf = binary.LittleEndian.AppendUint32(elf, 1)
	elf = binary.LittleEndian.AppendUint64(elf, base+codeOff) // entry
	elf = binary.LittleEndian.AppendUint64(elf, 64)           // program headers
	elf = binary.LittleEndian.AppendUint64(elf, 0)
	elf = binary.LittleEndian.AppendUint32(elf, 0)
	elf = binary.LittleEndian.AppendUint16(elf, 64)
	elf = binary.LittleEndian.AppendUint16(elf, 56)
	elf = binary.LittleEndian.AppendUint16(elf, 1)
	elf = append(elf, 0, 0, 0, 0, 0, 0)
	elf = binary.LittleEndian.AppendUint32(elf, 1) // PT_LOAD
	elf = binary.LittleEndian.AppendUint32(elf, 5) // R+X
	elf = binary.LittleEndian.AppendUint64(elf, 0)
	elf = binary.LittleEndian.AppendUint64(elf, base)
	elf = binary.LittleEndian.AppendUint64(elf, base)
	elf = binary.LittleEndian.AppendUint64(elf, size)
	elf = binary.LittleEndian.AppendUint64(elf, size)
	elf = binary.LittleEndian.AppendUint64(elf, 0x1000)
	elf = append(elf, code...)

	path := filepath.Join(t.TempDir(), "int80")
	if err := os.WriteFile(path, elf, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestArchCoverageIntegration proves SC005 on the real engine: a 32-bit
// syscall is killed with SIGSYS when the profile lists only x86_64, and
// runs when the profile lists x86 too.
func TestArchCoverageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	bin := writeInt80Mkdir(t)
	names := append(startupNames(), append(processExtras, "mkdir")...)

	tests := []struct {
		name     string
		arches   []string
		wantCode int
		wantSC   bool
	}{
		{"x86_64 alone", []string{"SCMP_ARCH_X86_64"}, 128 + 31, true},
		{"with x86 and x32", []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeArchProfile(t, tt.arches, names)
			fs, err := LintFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(messagesOf(fs, "SC005")) > 0; got != tt.wantSC {
				t.Errorf("SC005 reported = %v, want %v", got, tt.wantSC)
			}
			res := d.Run(t, testenv.RunOptions{Args: []string{
				"--security-opt", "seccomp=" + path, "-v", bin + ":/int80:ro",
			}}, image, "/int80")
			if res.ExitCode != tt.wantCode {
				t.Errorf("exit status = %d, want %d (%v): %s", res.ExitCode, tt.wantCode, res.Err, res.Stderr)
			}
		})
	}
}

func writeArchProfile(t *testing.T, arches, names []string) string {
	t.Helper()
	text := `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ` + jsonList(arches) +
		`, "syscalls": [{"names": ` + jsonList(names) + `, "action": "SCMP_ACT_ALLOW"}]}`
	path := filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func jsonList(items []string) string {
	out := "["
	for i, s := range items {
		if i > 0 {
			out += ", "
		}
		out += `"` + s + `"`
	}
	return out + "]"
}
