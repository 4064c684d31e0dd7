package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// DangerousCapability fires on an added capability that allows escaping
// the container or controlling the host.
var DangerousCapability = &rule.Rule{
	ID:       "RT004",
	Slug:     "dangerous-capability",
	Title:    "Dangerous capability added",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "The container adds a capability outside Docker's default set that reaches " +
		"beyond the container: ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, " +
		"DAC_READ_SEARCH (the open_by_handle_at escape), SYS_RAWIO, BPF, PERFMON, SYS_BOOT, " +
		"SYS_TIME, MAC_ADMIN, MAC_OVERRIDE, SYSLOG, LINUX_IMMUTABLE, AUDIT_CONTROL, " +
		"SYS_RESOURCE, NET_BROADCAST, IPC_LOCK, SYS_NICE, WAKE_ALARM, BLOCK_SUSPEND, " +
		"CHECKPOINT_RESTORE, SYS_PACCT or SYS_TTY_CONFIG. Each lets the container escape, read " +
		"or change state that the host shares (kernel, clock, audit rules, scheduling, memory) " +
		"or starve the host; the message names what the capability allows. Names are matched " +
		"in any case, with or without the CAP_ prefix.",
	Fix: "Remove the capability, or replace it with a narrower mechanism (a device, a sysctl, a " +
		"helper on the host). docker: remove `--cap-add SYS_ADMIN`. Compose: remove it from " +
		"`cap_add`. Kubernetes: remove it from `securityContext.capabilities.add`.",
	CIS:  "5.3",
	Bad:  "docker run --cap-drop ALL --cap-add SYS_ADMIN alpine:3.20",
	Good: "docker run --cap-drop ALL --cap-add CHOWN alpine:3.20",
}

// dangerousCapabilities maps each capability that reaches beyond the
// container to what it lets the container do, following capabilities(7).
// None of them is in Docker's default set.
var dangerousCapabilities = map[string]string{
	"ALL": "hold every capability, including SYS_ADMIN and SYS_MODULE",
	"SYS_ADMIN": "mount file systems, create namespaces and make many other administrative calls " +
		"that past escapes relied on",
	"NET_ADMIN": "change interfaces, routes and firewall rules, " +
		"which are the host's own when it shares the host network",
	"SYS_PTRACE": "trace other processes, read their memory and inject code into them",
	"SYS_MODULE": "load kernel modules, which run code in the host kernel",
	"DAC_READ_SEARCH": "bypass read permission checks and call open_by_handle_at, " +
		"which opens host files outside the container",
	"SYS_RAWIO": "use I/O ports and raw devices such as /dev/mem",
	"BPF":       "load BPF programs and create BPF maps in the host kernel",
	"PERFMON": "monitor performance system-wide, " +
		"which leaks kernel addresses and other processes' data",
	"SYS_BOOT":     "call reboot and kexec_load, which replaces the running kernel",
	"SYS_TIME":     "set the system clock, which the host shares",
	"MAC_ADMIN":    "change the AppArmor or SELinux policy",
	"MAC_OVERRIDE": "override mandatory access control (AppArmor, SELinux, Smack)",
	"SYSLOG":       "read and clear the kernel log, which exposes kernel addresses",
	"LINUX_IMMUTABLE": "set and clear the immutable and append-only attributes, " +
		"so it can alter append-only logs and pin files",
	"AUDIT_CONTROL": "change or disable the kernel audit rules, which the host shares",
	"SYS_RESOURCE": "override resource limits, quotas and reserved disk space, " +
		"so it can exhaust host resources",
	"NET_BROADCAST": "send socket broadcasts and listen to multicasts, " +
		"a capability the kernel does not check, so no workload needs it",
	"IPC_LOCK":      "lock memory beyond its limit, so it can pin host memory",
	"SYS_NICE":      "raise priorities and use real-time scheduling, so it can starve host processes",
	"WAKE_ALARM":    "set alarms that wake the host from suspend",
	"BLOCK_SUSPEND": "keep the host from suspending",
	"CHECKPOINT_RESTORE": "choose the PIDs of new processes and read other processes' " +
		"/proc/PID/map_files, which checkpoint and restore tools need",
	"SYS_PACCT":      "turn process accounting on or off for the host",
	"SYS_TTY_CONFIG": "hang up terminals and use privileged ioctls on virtual consoles",
}

func checkDangerousCapability(c *rt.Container, e *emitter) {
	for _, v := range c.Security.CapAdd {
		if v.Unknown {
			e.unresolved(v.Pos, "an added capability comes from %s, so it may be a dangerous one",
				unresolvedText(v.Raw))
			continue
		}
		if !v.Known() {
			continue
		}
		name := capName(v.V)
		if reason, ok := dangerousCapabilities[name]; ok {
			e.at(v.Pos, "capability %s is added and lets the container %s", name, reason)
		}
	}
}
