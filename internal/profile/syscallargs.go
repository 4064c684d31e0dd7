package profile

// argKind is the way the tracer reads a syscall's arguments.
type argKind int

const (
	kindPath       argKind = iota // fixed access on one or two paths
	kindOpen                      // open flags decide the access
	kindOpen2                     // openat2: flags in struct open_how
	kindExec                      // the path is executed
	kindMmap                      // a file descriptor mapped executable
	kindSocket                    // socket family and type
	kindSocketcall                // socketcall multiplexer of 32-bit ABIs
	kindClone                     // clone flags
)

// cloneNamespaceFlags are the CLONE_NEW* flags of clone(2): NEWNS, NEWCGROUP,
// NEWUTS, NEWIPC, NEWUSER, NEWPID and NEWNET.
const cloneNamespaceFlags = 0x7e020000

// argSpec locates the file-related arguments of a syscall. A dirfd index of
// -1 means the path is relative to the working directory.
type argSpec struct {
	kind   argKind
	dirfd  int
	path   int
	flags  int
	access string
	dir    bool
	// dirfd2 and path2 locate a second path, such as a rename target,
	// which gets access2. path2 is 0 when there is none.
	dirfd2  int
	path2   int
	access2 string
}

// syscallArgs lists the syscalls whose file and socket arguments the tracer
// records. Access letters are AppArmor's: the permission the kernel checks
// for the call.
var syscallArgs = map[string]argSpec{
	"open":     {kind: kindOpen, dirfd: -1, path: 0, flags: 1},
	"openat":   {kind: kindOpen, dirfd: 0, path: 1, flags: 2},
	"openat2":  {kind: kindOpen2, dirfd: 0, path: 1, flags: 2},
	"creat":    {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"execve":   {kind: kindExec, dirfd: -1, path: 0},
	"execveat": {kind: kindExec, dirfd: 0, path: 1},
	"mkdir":    {kind: kindPath, dirfd: -1, path: 0, access: "w", dir: true},
	"mkdirat":  {kind: kindPath, dirfd: 0, path: 1, access: "w", dir: true},
	"rmdir":    {kind: kindPath, dirfd: -1, path: 0, access: "w", dir: true},
	"unlink":   {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"unlinkat": {kind: kindPath, dirfd: 0, path: 1, access: "w"},
	"rename": {kind: kindPath, dirfd: -1, path: 0, access: "w",
		dirfd2: -1, path2: 1, access2: "w"},
	"renameat": {kind: kindPath, dirfd: 0, path: 1, access: "w",
		dirfd2: 2, path2: 3, access2: "w"},
	"renameat2": {kind: kindPath, dirfd: 0, path: 1, access: "w",
		dirfd2: 2, path2: 3, access2: "w"},
	"link":       {kind: kindPath, dirfd: -1, path: 0, access: "r", dirfd2: -1, path2: 1, access2: "l"},
	"linkat":     {kind: kindPath, dirfd: 0, path: 1, access: "r", dirfd2: 2, path2: 3, access2: "l"},
	"symlink":    {kind: kindPath, dirfd: -1, path: 1, access: "w"},
	"symlinkat":  {kind: kindPath, dirfd: 1, path: 2, access: "w"},
	"chmod":      {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"fchmodat":   {kind: kindPath, dirfd: 0, path: 1, access: "w"},
	"fchmodat2":  {kind: kindPath, dirfd: 0, path: 1, access: "w"},
	"chown":      {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"chown32":    {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"lchown":     {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"lchown32":   {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"fchownat":   {kind: kindPath, dirfd: 0, path: 1, access: "w"},
	"truncate":   {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"mknod":      {kind: kindPath, dirfd: -1, path: 0, access: "w"},
	"mknodat":    {kind: kindPath, dirfd: 0, path: 1, access: "w"},
	"mmap":       {kind: kindMmap},
	"mmap2":      {kind: kindMmap},
	"socket":     {kind: kindSocket},
	"socketpair": {kind: kindSocket},
	"socketcall": {kind: kindSocketcall},
	"clone":      {kind: kindClone},
}

// socketFamilies maps address families to AppArmor's network domain names.
var socketFamilies = map[uint64]string{
	1: "unix", 2: "inet", 3: "ax25", 4: "ipx", 5: "appletalk", 6: "netrom",
	7: "bridge", 8: "atmpvc", 9: "x25", 10: "inet6", 11: "rose", 13: "netbeui",
	14: "security", 15: "key", 16: "netlink", 17: "packet", 18: "ash",
	19: "econet", 20: "atmsvc", 21: "rds", 22: "sna", 23: "irda", 24: "pppox",
	25: "wanpipe", 26: "llc", 27: "ib", 28: "mpls", 29: "can", 30: "tipc",
	31: "bluetooth", 32: "iucv", 33: "rxrpc", 34: "isdn", 35: "phonet",
	36: "ieee802154", 37: "caif", 38: "alg", 39: "nfc", 40: "vsock", 41: "kcm",
	42: "qipcrtr", 43: "smc", 44: "xdp", 45: "mctp",
}

// socketTypes maps socket types (without SOCK_NONBLOCK and SOCK_CLOEXEC)
// to AppArmor's names.
var socketTypes = map[uint64]string{
	1: "stream", 2: "dgram", 3: "raw", 4: "rdm", 5: "seqpacket", 6: "dccp", 10: "packet",
}

// openAccess returns the AppArmor access that open flags request, and
// whether the call opens no file for access (O_PATH).
func openAccess(flags uint64) (string, bool) {
	const (
		oWronly = 0x1
		oRdwr   = 0x2
		oCreat  = 0x40
		oTrunc  = 0x200
		oAppend = 0x400
		oPath   = 0x200000
	)
	if flags&oPath != 0 {
		return "", false
	}
	access := ""
	switch flags & 0x3 {
	case 0:
		access = "r"
	case oWronly:
		access = "w"
	case oRdwr:
		access = "rw"
	}
	if flags&oAppend != 0 && flags&0x3 == oWronly {
		access = "a"
	}
	if flags&(oCreat|oTrunc) != 0 {
		access = mergeAccess(access, "w")
	}
	return access, true
}
