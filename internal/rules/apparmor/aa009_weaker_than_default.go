package apparmor

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// WeakerThanDefault fires when a profile allows what Docker's default
// profile denies.
var WeakerThanDefault = &rule.Rule{
	ID:       "AA009",
	Slug:     "apparmor-weaker-than-default",
	Title:    "Profile is weaker than Docker's default",
	Severity: finding.Medium,
	Kind:     rule.KindAppArmor,
	Description: "Docker's default profile (docker-default, as moby/profiles renders it) denies " +
		"mount, writes to kernel settings under /proc/sys and /proc/sysrq-trigger, reading " +
		"/proc/kcore, and access to /sys/firmware, /sys/kernel/security and the power-capping " +
		"counters under /sys/devices/virtual/powercap. A custom profile that keeps broad allow " +
		"rules such as `file,` but drops those deny rules looks like confinement and confines " +
		"less than running with no custom profile at all. A profile in complain mode " +
		"(`flags=(complain)`) or with `flags=(unconfined)` enforces nothing and is reported too.",
	Fix: "Add the missing deny rules the message lists, or narrow the allow rules that grant them.",
	Bad: "profile app {\n  file,\n  mount,\n}",
	Good: "profile app {\n  file,\n  deny mount,\n  deny @{PROC}/sys/** w,\n  deny @{PROC}/sysrq-trigger rwklx,\n" +
		"  deny @{PROC}/kcore rwklx,\n  deny /sys/firmware/** rwklx,\n  deny /sys/kernel/security/** rwklx,\n" +
		"  deny /sys/devices/virtual/powercap/** rwklx,\n}",
	Limits: "The comparison tests what Docker's default denies on sample paths, so a rule that " +
		"allows a neighbouring path the default also denies may be missed. A file of rules without " +
		"a profile header (an abstraction) is not checked, because the profiles that include it " +
		"may add the deny rules; lint those profiles.",
}

// defaultDenial is an access Docker's default profile denies.
type defaultDenial struct {
	description string
	path        string
	access      input.Access
}

var defaultDenials = []defaultDenial{
	{"write /proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv4/ip_forward", 'w'},
	{"write /proc/sys/kernel/core_pattern", "/proc/sys/kernel/core_pattern", 'w'},
	{"write /proc/sysrq-trigger", "/proc/sysrq-trigger", 'w'},
	{"write /proc/timer_list", "/proc/timer_list", 'w'},
	{"read /proc/kcore", "/proc/kcore", 'r'},
	{"read /sys/firmware/**", "/sys/firmware/efi/efivars/x", 'r'},
	{"read /sys/kernel/security/**", "/sys/kernel/security/apparmor/profiles", 'r'},
	{"read /sys/devices/virtual/powercap/**", "/sys/devices/virtual/powercap/intel-rapl/intel-rapl:0/energy_uj", 'r'},
	{"write /sys/kernel/**", "/sys/kernel/mm/transparent_hugepage/enabled", 'w'},
}

func checkWeaker(t *target) []finding.Finding {
	var out []finding.Finding
	for _, p := range t.profiles() {
		if mode := nonEnforcing(p); mode != "" {
			out = append(out, WeakerThanDefault.New(t.loc(p.Line),
				"%s has flags=(%s), so it enforces none of the denials of Docker's default profile",
				profileName(p), mode))
			continue
		}
		var missing []string
		if allow, denied := p.RuleAllowed(input.KindMount); allow != nil && !denied {
			missing = append(missing, "mount")
		}
		for _, d := range defaultDenials {
			if ok, _ := t.file.FileAccess(p, d.path, d.access); ok {
				missing = append(missing, d.description)
			}
		}
		if len(missing) > 0 {
			out = append(out, WeakerThanDefault.New(t.loc(p.Line),
				"%s allows what Docker's default profile denies: %s", profileName(p), strings.Join(missing, ", ")))
		}
	}
	return out
}

// nonEnforcing returns the flag that stops a profile from enforcing, or "".
func nonEnforcing(p *input.Profile) string {
	for _, f := range p.Flags {
		if f == "complain" || f == "unconfined" {
			return f
		}
	}
	return ""
}
