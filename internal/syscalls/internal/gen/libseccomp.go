//go:build generate

package main

// #cgo pkg-config: libseccomp
// #include <stdlib.h>
// #include <seccomp.h>
import "C"

import (
	"fmt"
	"unsafe"
)

// archToken returns libseccomp's token for an architecture name, or zero
// when this libseccomp does not know it.
func archToken(name string) C.uint32_t {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return C.seccomp_arch_resolve_name(cs)
}

// resolve returns the syscall number on an architecture. libseccomp returns
// a negative pseudo number for a syscall that the architecture lacks.
func resolve(arch C.uint32_t, name string) (int, bool) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	nr := int(C.seccomp_syscall_resolve_name_arch(arch, cs))
	return nr, nr >= 0
}

func libseccompVersion() string {
	v := C.seccomp_version()
	return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.micro)
}
