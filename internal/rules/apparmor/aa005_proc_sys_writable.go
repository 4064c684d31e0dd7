package apparmor

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// ProcSysWritable fires when writes to kernel settings under /proc or
// /sys are allowed.
var ProcSysWritable = &rule.Rule{
	ID:       "AA005",
	Slug:     "apparmor-proc-sys-writable",
	Title:    "Writes to /proc or /sys not denied",
	Severity: finding.Medium,
	Kind:     rule.KindAppArmor,
	Description: "Files under /proc/sys, /proc/sysrq-trigger and /sys change the host kernel, not " +
		"just the container: core_pattern runs a host program, sysrq-trigger reboots the host. " +
		"The runtime mounts them read-only, but a process that can remount or that runs " +
		"privileged gets through unless the profile denies the writes, as Docker's default does.",
	Fix:  "Add deny rules such as `deny @{PROC}/sys/** w,`, `deny @{PROC}/sysrq-trigger rwklx,` and `deny /sys/** wklx,`.",
	Bad:  "profile app {\n  /** rw,\n}",
	Good: "profile app {\n  /** rw,\n  deny @{PROC}/sys/** w,\n  deny @{PROC}/sysrq-trigger rwklx,\n  deny /sys/** wklx,\n}",
	Limits: "The check tests sample paths (/proc/sys/kernel/core_pattern, /proc/sysrq-trigger, " +
		"/proc/sys/vm/drop_caches, /sys/kernel/uevent_helper, /sys/power/state) against the " +
		"profile's rules after expanding variables and globs. A file of rules without a profile " +
		"header (an abstraction) is not checked, because the profiles that include it may add the " +
		"deny rules; lint those profiles.",
}

// writeProbes are kernel settings a container must not write.
var writeProbes = []string{
	"/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger", "/proc/sys/vm/drop_caches",
	"/sys/kernel/uevent_helper", "/sys/power/state",
}

func checkProcSys(t *target) []finding.Finding {
	var out []finding.Finding
	for _, p := range t.profiles() {
		var writable []string
		line := p.Line
		for _, path := range writeProbes {
			if ok, r := t.file.FileAccess(p, path, 'w'); ok {
				writable = append(writable, path)
				if r.Source == "" && line == p.Line {
					line = r.Line
				}
			}
		}
		if len(writable) > 0 {
			out = append(out, ProcSysWritable.New(t.loc(line), "%s allows writes to %s",
				profileName(p), strings.Join(writable, ", ")))
		}
	}
	return out
}
