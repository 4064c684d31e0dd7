package profile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

func (tr *tracer) entry(tid int, info *syscallInfo) *pendingCall {
	arch, ok := archOf(info.Arch, info.Nr)
	if !ok {
		return nil
	}
	name, ok := syscallName(arch, int(info.Nr))
	if !ok {
		// -1 is what a tracer or seccomp leaves for a skipped call.
		if int32(info.Nr) != -1 {
			tr.rec.unknownSyscall(arch, int(info.Nr))
		}
		return nil
	}
	tr.trace.AddSyscall(arch, name)

	call := &pendingCall{arch: arch, name: name, args: info.Args}
	spec, ok := syscallArgs[name]
	if !ok {
		return call
	}
	switch spec.kind {
	case kindPath, kindOpen, kindOpen2, kindExec:
		call.path = tr.argPath(tid, call.args, spec.dirfd, spec.path)
		if spec.path2 > 0 {
			call.path2 = tr.argPath(tid, call.args, spec.dirfd2, spec.path2)
		}
	case kindMmap:
		const protExec = 0x4
		fd := int32(call.args[4])
		if call.args[2]&protExec != 0 && fd >= 0 {
			call.mapped = fdPath(tid, int(fd))
		}
	}
	return call
}

func (tr *tracer) exit(tid int, call *pendingCall, rval int64, isError bool) {
	if isError {
		errno := unix.Errno(-rval)
		if errno == unix.EPERM || errno == unix.EACCES {
			tr.rec.deny(Denial{Arch: call.arch, Syscall: call.name, Errno: unix.ErrnoName(errno), Path: call.path})
		}
		return
	}
	spec, ok := syscallArgs[call.name]
	if !ok {
		return
	}
	switch spec.kind {
	case kindPath:
		tr.rec.file(call.path, spec.access, spec.dir)
		tr.rec.file(call.path2, spec.access2, false)
	case kindOpen, kindOpen2:
		flags := call.args[spec.flags]
		if spec.kind == kindOpen2 {
			flags = tr.readUint64(tid, call.args[spec.flags])
		}
		access, ok := openAccess(flags)
		if !ok {
			return
		}
		// The descriptor's path is the one the kernel resolved, after
		// symlinks, which is what AppArmor mediates.
		path := fdPath(tid, int(rval))
		if path == "" {
			path = call.path
		}
		fi, err := os.Stat("/proc/" + strconv.Itoa(tid) + "/fd/" + strconv.FormatInt(rval, 10))
		tr.rec.file(path, access, err == nil && fi.IsDir())
	case kindMmap:
		tr.rec.file(call.mapped, "m", false)
	case kindSocket:
		tr.recordSocket(call.args[0], call.args[1])
	case kindClone:
		// s390 passes the stack first and the flags second.
		flags := call.args[0]
		if call.arch == "SCMP_ARCH_S390" || call.arch == "SCMP_ARCH_S390X" {
			flags = call.args[1]
		}
		tr.trace.CloneNamespaceFlags |= flags & cloneNamespaceFlags
	case kindSocketcall:
		const sysSocket, sysSocketpair = 1, 8
		if call.args[0] == sysSocket || call.args[0] == sysSocketpair {
			var buf [8]byte
			if tr.readMem(tid, call.args[1], buf[:]) == nil {
				tr.recordSocket(uint64(binary.NativeEndian.Uint32(buf[0:])),
					uint64(binary.NativeEndian.Uint32(buf[4:])))
			}
		}
	}
}

func (tr *tracer) recordSocket(family, typ uint64) {
	fam, ok := socketFamilies[family]
	if !ok {
		fam = "family-" + strconv.FormatUint(family, 10)
	}
	tr.rec.sockets[Socket{Family: fam, Type: socketTypes[typ&0xf]}] = true
}

// argPath reads the path argument args[pathIndex] and makes it absolute,
// relative to the directory that the dirfd argument names, or to the
// working directory when dirfdIndex is -1 or the dirfd is AT_FDCWD.
func (tr *tracer) argPath(tid int, args [6]uint64, dirfdIndex, pathIndex int) string {
	p, err := tr.readString(tid, args[pathIndex])
	if err != nil || p == "" {
		return ""
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}

	const atFDCWD = -100
	var base string
	if dirfdIndex >= 0 && int32(args[dirfdIndex]) != atFDCWD {
		// A directory descriptor that names no path leaves the path unknown.
		base = fdPath(tid, int(int32(args[dirfdIndex])))
	} else {
		base, _ = os.Readlink("/proc/" + strconv.Itoa(tid) + "/cwd")
	}
	if base == "" {
		return ""
	}
	return filepath.Join(base, p)
}

func fdPath(tid, fd int) string {
	p, err := os.Readlink("/proc/" + strconv.Itoa(tid) + "/fd/" + strconv.Itoa(fd))
	if err != nil || !filepath.IsAbs(p) {
		// pipe:[...], socket:[...] and anon_inode:... name no file.
		return ""
	}
	return p
}

// maxPathRead bounds how much of a string argument is read.
const maxPathRead = 4096

func (tr *tracer) readString(tid int, addr uint64) (string, error) {
	if addr == 0 {
		return "", errors.New("null pointer")
	}
	var out []byte
	buf := make([]byte, 256)
	for len(out) < maxPathRead {
		// Stay within one page, since the next may be unmapped.
		n := 4096 - int(addr%4096)
		if n > len(buf) {
			n = len(buf)
		}
		if err := tr.readMem(tid, addr, buf[:n]); err != nil {
			return "", err
		}
		for i := 0; i < n; i++ {
			if buf[i] == 0 {
				return string(append(out, buf[:i]...)), nil
			}
		}
		out = append(out, buf[:n]...)
		addr += uint64(n)
	}
	return string(out), nil
}

func (tr *tracer) readUint64(tid int, addr uint64) uint64 {
	var buf [8]byte
	if addr == 0 || tr.readMem(tid, addr, buf[:]) != nil {
		return 0
	}
	return binary.NativeEndian.Uint64(buf[:])
}

// readMem reads tracee memory with process_vm_readv, falling back to
// PTRACE_PEEKDATA where that is not allowed.
func (tr *tracer) readMem(tid int, addr uint64, buf []byte) error {
	local := []unix.Iovec{{Base: &buf[0]}}
	local[0].SetLen(len(buf))
	remote := []unix.RemoteIovec{{Base: uintptr(addr), Len: len(buf)}}
	n, err := unix.ProcessVMReadv(tid, local, remote, 0)
	if err == nil && n == len(buf) {
		return nil
	}
	n, err = unix.PtracePeekData(tid, uintptr(addr), buf)
	if err != nil {
		return err
	}
	if n != len(buf) {
		return fmt.Errorf("short read of process %d memory", tid)
	}
	return nil
}
