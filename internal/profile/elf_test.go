package profile

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// writeInt80Binary writes a static x86_64 ELF program that calls mkdir(dir,
// 0755) through the 32-bit int $0x80 gate, so the kernel handles an i386
// syscall, and then exits with status 0 through the 64-bit syscall gate.
// The bytes are assembled here so the test needs no 32-bit toolchain.
func writeInt80Binary(t *testing.T, dir string) string {
	t.Helper()

	pathAddr := uint32(elfBase + elfCodeOffset + 34)
	var code bytes.Buffer
	code.Write([]byte{0xb8, 39, 0, 0, 0}) // mov eax, 39 (i386 mkdir)
	code.WriteByte(0xbb)                  // mov ebx, path
	binary.Write(&code, binary.LittleEndian, pathAddr)
	code.Write([]byte{0xb9, 0xed, 0x01, 0, 0}) // mov ecx, 0755
	code.Write([]byte{0xcd, 0x80})             // int 0x80
	code.Write(exitZero)
	code.Write(bytes.Repeat([]byte{0x90}, 34-code.Len())) // pad to the path
	code.WriteString(dir + "\x00")
	return writeELF(t, "int80", code.Bytes())
}

// writePtraceBinary writes a static x86_64 ELF program that calls
// ptrace(PTRACE_TRACEME) and exits with status 0 whatever it returned.
func writePtraceBinary(t *testing.T) string {
	t.Helper()

	var code bytes.Buffer
	code.Write([]byte{0xb8, 101, 0, 0, 0}) // mov eax, 101 (ptrace)
	code.Write([]byte{0x31, 0xff})         // xor edi, edi (PTRACE_TRACEME)
	code.Write([]byte{0x0f, 0x05})         // syscall
	code.Write(exitZero)
	return writeELF(t, "ptrace", code.Bytes())
}

const (
	elfBase       = 0x400000
	elfCodeOffset = 64 + 56
)

// exitZero is exit_group(0) through the x86_64 syscall gate.
var exitZero = []byte{
	0xb8, 231, 0, 0, 0, // mov eax, 231 (exit_group)
	0x31, 0xff, // xor edi, edi
	0x0f, 0x05, // syscall
}

// writeELF writes code as a static x86_64 executable with one segment.
func writeELF(t *testing.T, name string, code []byte) string {
	t.Helper()

	var f bytes.Buffer
	le := binary.LittleEndian
	// ELF header.
	f.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
	f.Write(make([]byte, 8))
	binary.Write(&f, le, uint16(2))    // ET_EXEC
	binary.Write(&f, le, uint16(0x3e)) // EM_X86_64
	binary.Write(&f, le, uint32(1))
	binary.Write(&f, le, uint64(elfBase+elfCodeOffset)) // entry
	binary.Write(&f, le, uint64(64))                    // program headers
	binary.Write(&f, le, uint64(0))                     // section headers
	binary.Write(&f, le, uint32(0))
	binary.Write(&f, le, uint16(64))
	binary.Write(&f, le, uint16(56))
	binary.Write(&f, le, uint16(1))
	binary.Write(&f, le, uint16(0))
	binary.Write(&f, le, uint16(0))
	binary.Write(&f, le, uint16(0))
	// One PT_LOAD segment with the whole file, readable and executable.
	size := uint64(elfCodeOffset + len(code))
	binary.Write(&f, le, uint32(1))
	binary.Write(&f, le, uint32(5))
	binary.Write(&f, le, uint64(0))
	binary.Write(&f, le, uint64(elfBase))
	binary.Write(&f, le, uint64(elfBase))
	binary.Write(&f, le, size)
	binary.Write(&f, le, size)
	binary.Write(&f, le, uint64(0x1000))
	f.Write(code)

	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, f.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
