package compose

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/dockward/dockward/internal/input/runtime"
)

// containers maps every service of the project, in file order.
func (l *load) containers(p *types.Project) []*runtime.Container {
	all := make(map[string]types.ServiceConfig, len(p.Services)+len(p.DisabledServices))
	maps.Copy(all, p.DisabledServices)
	maps.Copy(all, p.Services)

	included := l.includedFiles()
	index := make(map[string]*service, len(all))
	for name := range all {
		s := &service{l: l, name: name, fallback: runtime.Pos{Path: l.path}}
		for _, f := range append([]*file{l.main}, included...) {
			if layers, _ := l.chain(f, name); len(layers) > 0 {
				k, _ := fieldKey(f, name)
				s.layers, s.fallback = layers, posOf(f, k)
				break
			}
		}
		index[name] = s
	}
	// Services of the file itself come first, in file order, then those
	// of included files.
	names := sortedByLine(slices.Collect(maps.Keys(all)), func(n string) int {
		if index[n].fallback.Path != l.path {
			return 1<<30 + index[n].fallback.Line
		}
		return index[n].fallback.Line
	})

	out := make([]*runtime.Container, 0, len(names))
	for _, name := range names {
		if name == "" {
			l.problem(index[name].fallback.Line, "a service has an empty name, which compose rejects; it is not audited")
			continue
		}
		svc := all[name]
		out = append(out, l.container(p, &svc, index[name]))
	}
	return out
}

func (l *load) container(p *types.Project, svc *types.ServiceConfig, s *service) *runtime.Container {
	c := &runtime.Container{
		Source:   runtime.SourceCompose,
		Name:     s.name,
		Workload: p.Name,
		Pos:      s.fallback,
	}
	// A service whose broken extends was dropped has lost its base, so
	// its missing image is a consequence, not a second problem. An
	// override file completes services that another file defines.
	if svc.Image == "" && svc.Build == nil && !s.find("image").found() && !s.find("build").found() &&
		!l.dropped[s.name] && !isOverrideFile(l.path) {
		l.problem(s.fallback.Line, "service %q is invalid: it has neither image nor build", s.name)
	}
	c.Image = value(s, svc.Image, "image")
	l.build(c, svc, s)

	sec := &c.Security
	sec.User = value(s, svc.User, "user")
	if sec.User.Unknown && strings.TrimSpace(svc.User) == "" {
		// compose interpolates an unset variable as an empty string, and
		// the engine runs an empty user as the image's user.
		sec.User = runtime.Of("", sec.User.Raw, sec.User.Pos)
	}
	sec.Privileged = value(s, svc.Privileged, "privileged")
	sec.ReadOnlyRootfs = value(s, svc.ReadOnly, "read_only")
	sec.CapAdd = stringItems(s, svc.CapAdd, "cap_add")
	sec.CapDrop = stringItems(s, svc.CapDrop, "cap_drop")
	for _, opt := range svc.SecurityOpt {
		it, _ := s.match(s.items("security_opt"), func(e string, _ item) bool { return e == opt })
		o := runtime.ParseSecurityOpt(opt, s.itemPos(it))
		o.Unknown = s.l.vars.unresolved(it.raw)
		sec.AddSecurityOpt(o)
	}

	l.resources(c, svc, s)
	l.namespaces(c, p, svc, s)
	l.restart(c, svc, s)
	l.healthcheck(c, svc, s)
	l.tmpfs(c, svc, s)
	l.volumes(c, svc, s)
	l.devices(c, svc, s)
	l.deviceAccess(c, svc, s)
	l.volumesFrom(c, svc, s)
	l.ports(c, svc, s)
	l.env(c, svc, s)
	l.envFiles(c, svc, s)
	l.sysctls(c, svc, s)
	l.ulimits(c, svc, s)
	return c
}

// stringItems maps a merged string list to values at the entries that set
// them.
func stringItems(s *service, values []string, keys ...string) []runtime.Value[string] {
	items := s.items(keys...)
	out := make([]runtime.Value[string], 0, len(values))
	for _, v := range values {
		it, ok := s.match(items, func(e string, _ item) bool { return e == v })
		switch {
		case !ok:
			out = append(out, runtime.Of(v, v, s.pos(s.find(keys...))))
		case s.l.vars.unresolved(it.raw):
			out = append(out, runtime.UnknownAt[string](it.raw, s.itemPos(it)))
		default:
			out = append(out, runtime.Of(v, it.raw, s.itemPos(it)))
		}
	}
	return out
}

func (l *load) resources(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	r := &c.Resources
	var limits, reservations *types.Resource
	if svc.Deploy != nil {
		limits, reservations = svc.Deploy.Resources.Limits, svc.Deploy.Resources.Reservations
	}

	r.Memory = value(s, int64(svc.MemLimit), "mem_limit")
	if !r.Memory.Set && limits != nil {
		r.Memory = value(s, int64(limits.MemoryBytes), "deploy", "resources", "limits", "memory")
	}
	r.MemoryReservation = value(s, int64(svc.MemReservation), "mem_reservation")
	if !r.MemoryReservation.Set && reservations != nil {
		r.MemoryReservation = value(s, int64(reservations.MemoryBytes),
			"deploy", "resources", "reservations", "memory")
	}
	r.MemorySwap = value(s, int64(svc.MemSwapLimit), "memswap_limit")

	r.NanoCPUs = value(s, int64(float64(svc.CPUS)*1e9), "cpus")
	if !r.NanoCPUs.Set && limits != nil {
		r.NanoCPUs = value(s, int64(float64(limits.NanoCPUs)*1e9), "deploy", "resources", "limits", "cpus")
	}
	r.CPUQuota = value(s, svc.CPUQuota, "cpu_quota")
	r.CPUPeriod = value(s, svc.CPUPeriod, "cpu_period")
	r.CPUShares = value(s, svc.CPUShares, "cpu_shares")
	r.CPUSetCPUs = value(s, svc.CPUSet, "cpuset")

	r.PidsLimit = value(s, svc.PidsLimit, "pids_limit")
	if !r.PidsLimit.Set && limits != nil {
		r.PidsLimit = value(s, limits.Pids, "deploy", "resources", "limits", "pids")
	}
	r.CgroupParent = value(s, svc.CgroupParent, "cgroup_parent")
}

func (l *load) namespaces(c *runtime.Container, p *types.Project, svc *types.ServiceConfig, s *service) {
	ns := &c.Namespace
	ns.Network = value(s, svc.NetworkMode, "network_mode")
	if !ns.Network.Set {
		// Compose attaches a service to the project's own bridge
		// network, never to Docker's default bridge.
		network := p.Name + "_default"
		if names := svc.NetworksByPriority(); len(names) > 0 {
			network = names[0]
			if n, ok := p.Networks[network]; ok && n.Name != "" {
				network = n.Name
			}
		}
		f := s.find("networks")
		ns.Network = runtime.Of(network, "", s.pos(f))
	}
	ns.PID = value(s, svc.Pid, "pid")
	ns.IPC = value(s, svc.Ipc, "ipc")
	ns.UTS = value(s, svc.Uts, "uts")
	ns.User = value(s, svc.UserNSMode, "userns_mode")
	ns.Cgroup = value(s, svc.Cgroup, "cgroup")
}

func (l *load) restart(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	if svc.Restart != "" {
		name, retries, _ := strings.Cut(svc.Restart, ":")
		n, _ := strconv.Atoi(retries)
		c.Restart = value(s, runtime.RestartPolicy{Name: name, MaxRetries: n}, "restart")
		return
	}
	if svc.Deploy == nil || svc.Deploy.RestartPolicy == nil {
		return
	}
	rp := svc.Deploy.RestartPolicy
	policy := runtime.RestartPolicy{Name: rp.Condition}
	switch rp.Condition {
	case "any", "":
		// Swarm restarts on any exit when no condition is given.
		policy.Name = "always"
	case "none":
		policy.Name = "no"
	}
	if rp.MaxAttempts != nil {
		policy.MaxRetries = int(*rp.MaxAttempts)
		if policy.Name == "always" && policy.MaxRetries > 0 {
			policy.Name = "on-failure"
		}
	}
	c.Restart = value(s, policy, "deploy", "restart_policy")
}

func (l *load) healthcheck(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	hc := svc.HealthCheck
	if hc == nil {
		return
	}
	if hc.Disable {
		c.Healthcheck = value(s, runtime.Healthcheck{Test: []string{"NONE"}, Disabled: true},
			"healthcheck", "disable")
		return
	}
	if len(hc.Test) == 0 {
		// Only timings are set: the image's own test applies.
		return
	}
	test := []string(hc.Test)
	if test[0] == "NONE" {
		c.Healthcheck = value(s, runtime.Healthcheck{Test: test, Disabled: true}, "healthcheck", "test")
		return
	}
	c.Healthcheck = value(s, runtime.Healthcheck{Test: test}, "healthcheck", "test")
}

func (l *load) tmpfs(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("tmpfs")
	for _, t := range svc.Tmpfs {
		it, _ := s.match(items, func(e string, _ item) bool { return e == t })
		target, opts, _ := strings.Cut(t, ":")
		tm := runtime.Tmpfs{Target: target, OptionsKnown: true, Pos: s.itemPos(it),
			Unknown: s.l.vars.unresolved(it.raw)}
		if opts != "" {
			tm.Options = strings.Split(opts, ",")
		}
		c.Tmpfs = append(c.Tmpfs, tm)
	}
}

func (l *load) devices(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("devices")
	for _, d := range svc.Devices {
		it, _ := s.match(items, func(e string, it item) bool {
			return strings.HasPrefix(e, d.Source) || s.l.vars.expand(scalarAt(it, "source")) == d.Source
		})
		c.Devices = append(c.Devices, runtime.Device{
			Host: d.Source, Container: d.Target, Permissions: d.Permissions,
			Unknown: s.l.vars.unresolved(it.raw), Pos: s.itemPos(it),
		})
	}
}

func (l *load) ports(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("ports")
	used := make(map[*item]bool)
	for i, pc := range svc.Ports {
		it, ok := matchPort(s, items, used, pc)
		if !ok && i < len(items) {
			it = items[i]
		}
		c.Ports = append(c.Ports, runtime.Port{
			HostIP:        pc.HostIP,
			HostPort:      pc.Published,
			ContainerPort: int(pc.Target),
			Protocol:      pc.Protocol,
			Published:     pc.Published != "",
			Unknown:       s.l.vars.unresolved(it.raw),
			Raw:           it.raw,
			Pos:           s.itemPos(it),
		})
	}
	for _, e := range svc.Expose {
		port, proto, _ := strings.Cut(e, "/")
		n, err := strconv.Atoi(port)
		if err != nil {
			continue
		}
		it, _ := s.match(s.items("expose"), func(x string, _ item) bool { return x == e })
		c.Ports = append(c.Ports, runtime.Port{ContainerPort: n, Protocol: proto, Raw: e, Pos: s.itemPos(it)})
	}
}

func (l *load) env(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("environment")
	for _, name := range slices.Sorted(maps.Keys(svc.Environment)) {
		v := svc.Environment[name]
		it, ok := s.match(items, func(e string, it item) bool {
			return e == name || strings.HasPrefix(e, name+"=")
		})
		ev := runtime.EnvVar{Name: name, Pos: s.itemPos(it)}
		if v != nil {
			ev.Value = *v
		}
		raw := envRaw(it)
		ev.Unknown = s.l.vars.unresolved(raw)
		// A default such as ${DB_PASSWORD:-s3cret} is written in the file
		// as much as a plain value is.
		ev.Literal = ok && v != nil && !ev.Unknown && !s.l.vars.setIn(raw)
		c.Env = append(c.Env, ev)
	}
}

// envRaw returns the value of an environment entry as written: the part
// after = in list form, or the mapping value.
func envRaw(it item) string {
	if it.node == nil {
		return ""
	}
	if it.keyed {
		return valueOfKey(it)
	}
	_, v, _ := strings.Cut(it.raw, "=")
	return v
}

func (l *load) sysctls(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("sysctls")
	for _, name := range slices.Sorted(maps.Keys(svc.Sysctls)) {
		it, _ := s.match(items, func(e string, _ item) bool {
			return e == name || strings.HasPrefix(e, name+"=")
		})
		c.Sysctls = append(c.Sysctls, runtime.Sysctl{
			Name: name, Value: svc.Sysctls[name], Pos: s.itemPos(it),
			Unknown: s.l.vars.unresolved(it.raw + valueOfKey(it)),
		})
	}
}

func (l *load) ulimits(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("ulimits")
	for _, name := range slices.Sorted(maps.Keys(svc.Ulimits)) {
		u := svc.Ulimits[name]
		if u == nil {
			continue
		}
		soft, hard := int64(u.Soft), int64(u.Hard)
		raw := fmt.Sprintf("%s=%d:%d", name, soft, hard)
		if u.Single != 0 {
			soft, hard = int64(u.Single), int64(u.Single)
			raw = fmt.Sprintf("%s=%d", name, u.Single)
		}
		it, _ := s.match(items, func(e string, _ item) bool { return e == name })
		c.Ulimits = append(c.Ulimits, runtime.Ulimit{
			Name: name, Soft: soft, Hard: hard, Raw: raw, Pos: s.itemPos(it),
		})
	}
}

// matchPort finds the entry that wrote a port: the first entry not yet
// matched whose container port and protocol agree, or else any entry that
// agrees, since one range entry yields several ports.
func matchPort(s *service, items []item, used map[*item]bool, pc types.ServicePortConfig) (item, bool) {
	target := strconv.Itoa(int(pc.Target))
	proto := pc.Protocol
	if proto == "" {
		proto = "tcp"
	}
	agrees := func(it item) bool {
		if it.raw == "" {
			p := scalarAt(it, "protocol")
			if p == "" {
				p = "tcp"
			}
			return s.l.vars.expand(scalarAt(it, "target")) == target && p == proto
		}
		e := s.l.vars.expand(it.raw)
		spec, p, hasProto := strings.Cut(e, "/")
		if !hasProto {
			p = "tcp"
		}
		return p == proto && strings.Contains(spec, target)
	}
	for i := range items {
		if !used[&items[i]] && agrees(items[i]) {
			used[&items[i]] = true
			return items[i], true
		}
	}
	for _, it := range items {
		if agrees(it) {
			return it, true
		}
	}
	return item{}, false
}

// isOverrideFile reports whether a compose file is an override file, such
// as compose.override.yaml or docker-compose.prod.yml, which compose
// merges over a main file.
func isOverrideFile(p string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, "\\", "/")))
	return (!fileNames[base] && WantsName(base)) || strings.Contains(base, ".override.")
}
