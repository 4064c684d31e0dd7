package apparmor

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// capabilities lists the names "capability" accepts (capabilities(7)).
var capabilities = []string{
	"audit_control", "audit_read", "audit_write", "block_suspend", "bpf", "checkpoint_restore",
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "ipc_lock", "ipc_owner",
	"kill", "lease", "linux_immutable", "mac_admin", "mac_override", "mknod", "net_admin",
	"net_bind_service", "net_broadcast", "net_raw", "perfmon", "setfcap", "setgid", "setpcap",
	"setuid", "sys_admin", "sys_boot", "sys_chroot", "sys_module", "sys_nice", "sys_pacct",
	"sys_ptrace", "sys_rawio", "sys_resource", "sys_time", "sys_tty_config", "syslog",
	"wake_alarm",
}

// networkWords lists the address families, socket types and protocols a
// network rule accepts, as apparmor_parser 3.0.8 does.
var networkWords = []string{
	"unix", "inet", "ax25", "ipx", "appletalk", "netrom", "bridge", "atmpvc", "x25", "inet6", "rose",
	"netbeui", "security", "key", "netlink", "packet", "ash", "econet", "atmsvc", "rds", "sna", "irda",
	"pppox", "wanpipe", "llc", "ib", "mpls", "can", "tipc", "bluetooth", "iucv", "rxrpc", "isdn",
	"phonet", "ieee802154", "caif", "alg", "nfc", "vsock", "kcm", "qipcrtr", "smc", "xdp", "mctp",
	"stream", "dgram", "seqpacket", "rdm", "raw", "tcp", "udp", "icmp",
}

// profileFlags lists the flags a profile header accepts.
var profileFlags = []string{
	"complain", "enforce", "kill", "unconfined", "audit", "mediate_deleted", "delegate_deleted",
	"attach_disconnected", "no_attach_disconnected", "chroot_relative", "namespace_relative",
	"chroot_attach", "chroot_no_attach",
}

// permPattern matches file permissions: r w a l k m and the exec modes.
var permPattern = regexp.MustCompile(`^(?:[rwalkm]|[iuUpPcC]{0,3}x)+$`)

// plainExec matches permissions with an x that no exec mode precedes,
// which only deny rules may use.
var plainExec = regexp.MustCompile(`(?:^|[rwalkm])x`)

// otherKeywords are rule keywords the reader accepts without detail. The
// list is that of apparmor_parser 3.0.8, which predates userns, io_uring
// and mqueue rules.
var otherKeywords = []string{"dbus", "unix", "set", "all"}

// fillRule sets the kind and fields of r from its words, or returns why
// the rule is invalid.
func (p *parser) fillRule(r *Rule, words []string) string {
	kw := words[0]
	args := words[1:]
	r.Bare = len(args) == 0
	switch {
	case kw == "capability":
		r.Kind = KindCapability
		for _, c := range args {
			if !slices.Contains(capabilities, c) {
				return fmt.Sprintf("invalid capability %q", c)
			}
			r.Caps = append(r.Caps, c)
		}
	case kw == "network":
		r.Kind = KindNetwork
		r.Args = args
		for _, a := range args {
			if !slices.Contains(networkWords, a) {
				return fmt.Sprintf("invalid network rule: unknown address family, type or protocol %q", a)
			}
		}
	case kw == "mount", kw == "remount", kw == "umount", kw == "unmount", kw == "pivot_root":
		r.Kind = map[string]Kind{"mount": KindMount, "remount": KindRemount, "umount": KindUmount,
			"unmount": KindUmount, "pivot_root": KindPivotRoot}[kw]
		r.Args = args
	case kw == "ptrace" || kw == "signal":
		r.Kind = Kind(kw)
		p.peerAndAccess(r, args)
	case kw == "change_profile":
		r.Kind = KindChangeProfile
		r.Args = args
		if i := slices.Index(args, "->"); i >= 0 && i+1 < len(args) {
			r.Target = unquote(args[i+1])
		}
	case kw == "link":
		r.Kind = KindLink
		r.Args = args
	case kw == "file":
		r.Kind = KindFile
		if r.Bare {
			return ""
		}
		return fileRule(r, args)
	case isPathWord(kw) || permPattern.MatchString(kw):
		r.Kind = KindFile
		r.Bare = false
		return fileRule(r, words)
	case slices.Contains(otherKeywords, kw):
		r.Kind = KindOther
		r.Args = args
	default:
		return fmt.Sprintf("unknown rule %q", clip(r.Text))
	}
	return ""
}

func isPathWord(w string) bool {
	return strings.HasPrefix(w, "/") || strings.HasPrefix(w, "@{") || strings.HasPrefix(w, `"`)
}

// fileRule reads "PATH PERMS [-> TARGET]" or "PERMS PATH [-> TARGET]".
func fileRule(r *Rule, words []string) string {
	if i := slices.Index(words, "->"); i >= 0 {
		if i+1 >= len(words) {
			return "exec transition \"->\" without a target"
		}
		r.Target = unquote(words[i+1])
		words = words[:i]
	}
	if len(words) != 2 {
		return fmt.Sprintf("file rule %q must be a path and permissions", clip(r.Text))
	}
	path, perms := words[0], words[1]
	if !isPathWord(path) {
		path, perms = perms, path
	}
	if !isPathWord(path) {
		return fmt.Sprintf("file rule %q has no path: paths start with / or a variable", clip(r.Text))
	}
	if !permPattern.MatchString(perms) {
		return fmt.Sprintf("invalid file permissions %q", perms)
	}
	if plainExec.MatchString(perms) && !r.Deny {
		return fmt.Sprintf("file permissions %q give x without an exec mode: use ix, px, cx or ux", perms)
	}
	r.Path, r.Perms = unquote(path), perms
	return ""
}

var peerPattern = regexp.MustCompile(`^peer=(.*)$`)

// peerAndAccess reads "(perms)" and "peer=NAME" of ptrace and signal rules.
func (p *parser) peerAndAccess(r *Rule, args []string) {
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "("):
			for _, x := range strings.FieldsFunc(strings.Trim(a, "()"), func(c rune) bool {
				return c == ',' || c == ' '
			}) {
				r.Access = append(r.Access, x)
			}
		case peerPattern.MatchString(a):
			r.Peer = unquote(peerPattern.FindStringSubmatch(a)[1])
		case !strings.Contains(a, "="):
			r.Access = append(r.Access, a)
		}
	}
	r.Args = args
}
