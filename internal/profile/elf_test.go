package profile

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// writeInt80Binary writes a static x86_64 ELF program that calls mkdir(dir,
// 0755) through the 32-bit int $0x80 gate, so the kernel sees an i386
// syscall, and then exits with status 0 through the 64-bit syscall gate.
// The bytes are assembled here so the test needs no 32-bit toolchain.
func writeInt80Binary(t *testing.T, dir string) string {
	t.Helper()

	const base = 0x400000
	const codeOffset = 64 + 56
	var code bytes.Buffer
	pathAddr := uint32(base + codeOffset + 34)
	code.Write([]byte{0xb8, 39, 0, 0, 0}) // mov eax, 39 (i386 mkdir)
	code.WriteByte(0xbb)                  // mov ebx, path
	binary.Write(&code, binary.LittleEndian, pathAddr)
	code.Write([]byte{0xb9, 0xed, 0x01, 0, 0})            // mov ecx, 0755
	code.Write([]byte{0xcd, 0x80})                        // int 0x80
	code.Write([]byte{0xb8, 60, 0, 0, 0})                 // mov eax, 60 (x86_64 exit)
	code.Write([]byte{0x31, 0xff})                        // xor edi, edi
	code.Write([]byte{0x0f, 0x05})                        // syscall
	code.Write(bytes.Repeat([]byte{0x90}, 34-code.Len())) // pad to the path
	code.WriteString(dir + "\x00")

	var f bytes.Buffer
	// ELF header.
	f.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
	f.Write(make([]byte, 8))
	le := binary.LittleEndian
	binary.Write(&f, le, uint16(2))    // ET_EXEC
	binary.Write(&f, le, uint16(0x3e)) // EM_X86_64
	binary.Write(&f, le, uint32(1))
	binary.Write(&f, le, uint64(base+codeOffset)) // entry
	binary.Write(&f, le, uint64(64))              // program headers
	binary.Write(&f, le, uint64(0))               // section headers
	binary.Write(&f, le, uint32(0))
	binary.Write(&f, le, uint16(64))
	binary.Write(&f, le, uint16(56))
	binary.Write(&f, le, uint16(1))
	binary.Write(&f, le, uint16(0))
	binary.Write(&f, le, uint16(0))
	binary.Write(&f, le, uint16(0))
	// One PT_LOAD segment with the whole file, readable and executable.
	size := uint64(codeOffset + code.Len())
	binary.Write(&f, le, uint32(1))
	binary.Write(&f, le, uint32(5))
	binary.Write(&f, le, uint64(0))
	binary.Write(&f, le, uint64(base))
	binary.Write(&f, le, uint64(base))
	binary.Write(&f, le, size)
	binary.Write(&f, le, size)
	binary.Write(&f, le, uint64(0x1000))
	f.Write(code.Bytes())

	path := filepath.Join(t.TempDir(), "int80")
	if err := os.WriteFile(path, f.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
