package runtime

import (
	"strconv"
	"strings"

	"github.com/docker/cli/opts"
	"github.com/docker/cli/opts/swarmopts"
	"github.com/docker/go-connections/nat"
	"github.com/docker/go-units"
	"github.com/moby/moby/api/types/mount"
)

// applyFunc stores one flag value in the container.
type applyFunc func(c *Container, v Word)

func applyName(c *Container, v Word) { c.Name = v.Text }

func applyUser(c *Container, v Word) { c.Security.User = stringValue(v) }

func stringValue(v Word) Value[string] {
	if v.Unknown {
		return UnknownAt[string](v.Text, v.Pos)
	}
	return Of(v.Text, v.Text, v.Pos)
}

func boolValue(c *Container, v Word) Value[bool] {
	if v.Unknown {
		return UnknownAt[bool](v.Text, v.Pos)
	}
	b, err := strconv.ParseBool(v.Text)
	if err != nil {
		c.AddNote(v.Pos, "invalid boolean %q", v.Text)
		return UnknownAt[bool](v.Text, v.Pos)
	}
	return Of(b, v.Text, v.Pos)
}

func applyPrivileged(c *Container, v Word) { c.Security.Privileged = boolValue(c, v) }

func applyReadOnly(c *Container, v Word) { c.Security.ReadOnlyRootfs = boolValue(c, v) }

func applyCapAdd(c *Container, v Word) { c.Security.CapAdd = append(c.Security.CapAdd, stringValue(v)) }

func applyCapDrop(c *Container, v Word) {
	c.Security.CapDrop = append(c.Security.CapDrop, stringValue(v))
}

func applySecurityOpt(c *Container, v Word) {
	o := ParseSecurityOpt(v.Text, v.Pos)
	o.Unknown = v.Unknown
	c.Security.AddSecurityOpt(o)
}

// applyTmpfs reads --tmpfs PATH[:OPTIONS].
func applyTmpfs(c *Container, v Word) {
	target, options, _ := strings.Cut(v.Text, ":")
	t := Tmpfs{Target: target, OptionsKnown: !v.Unknown, Unknown: v.Unknown, Pos: v.Pos}
	if options != "" {
		t.Options = strings.Split(options, ",")
	}
	c.Tmpfs = append(c.Tmpfs, t)
}

// applyMount reads --mount with the CLI's own parser.
func applyMount(c *Container, v Word) {
	if v.Unknown {
		c.Mounts = append(c.Mounts, Mount{Unknown: true, Raw: v.Text, Pos: v.Pos})
		return
	}
	var mo opts.MountOpt
	if err := mo.Set(v.Text); err != nil {
		c.AddNote(v.Pos, "invalid --mount %q: %v", v.Text, err)
		return
	}
	for _, m := range mo.Value() {
		c.addAPIMount(m, v.Text, v.Pos)
	}
}

// addAPIMount adds an Engine API mount, which --mount, docker inspect and
// compose long syntax share.
func (c *Container) addAPIMount(m mount.Mount, raw string, pos Pos) {
	if m.Type == mount.TypeTmpfs {
		t := Tmpfs{Target: m.Target, OptionsKnown: true, Pos: pos}
		if m.TmpfsOptions != nil {
			for _, o := range m.TmpfsOptions.Options {
				t.Options = append(t.Options, strings.Join(o, "="))
			}
		}
		c.Tmpfs = append(c.Tmpfs, t)
		return
	}
	mt := Mount{Type: MountType(m.Type), Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly,
		Raw: raw, Pos: pos}
	if m.BindOptions != nil {
		mt.Propagation = string(m.BindOptions.Propagation)
	}
	c.Mounts = append(c.Mounts, mt)
}

// applyVolume reads -v [SOURCE:]TARGET[:OPTIONS].
func applyVolume(c *Container, v Word) {
	c.Mounts = append(c.Mounts, ParseVolume(v.Text, v.Unknown, v.Pos))
}

// ParseVolume reads the short volume syntax shared by -v and compose:
// [SOURCE:]TARGET[:OPTIONS]. A source that starts with /, . or ~ is a bind.
func ParseVolume(raw string, unknown bool, pos Pos) Mount {
	m := Mount{Raw: raw, Unknown: unknown, Pos: pos, Type: MountVolume}
	parts := strings.Split(raw, ":")
	if len(parts) > 2 && len(parts[0]) == 1 && strings.HasPrefix(parts[1], "\\") {
		// A Windows drive letter, as in C:\data:/data.
		parts = append([]string{parts[0] + ":" + parts[1]}, parts[2:]...)
	}
	switch len(parts) {
	case 1:
		m.Target = parts[0]
		return m
	case 2:
		m.Source, m.Target = parts[0], parts[1]
	default:
		m.Source, m.Target = parts[0], parts[1]
		for o := range strings.SplitSeq(strings.Join(parts[2:], ":"), ",") {
			switch o {
			case "ro", "readonly":
				m.ReadOnly = true
			case "shared", "rshared", "slave", "rslave", "private", "rprivate":
				m.Propagation = o
			}
		}
	}
	if strings.HasPrefix(m.Source, "/") || strings.HasPrefix(m.Source, ".") ||
		strings.HasPrefix(m.Source, "~") || strings.HasPrefix(m.Source, "$") ||
		strings.Contains(m.Source, "\\") {
		m.Type = MountBind
	}
	return m
}

// applyDevice reads --device HOST[:CONTAINER[:PERMISSIONS]].
func applyDevice(c *Container, v Word) {
	parts := strings.SplitN(v.Text, ":", 3)
	d := Device{Host: parts[0], Container: parts[0], Unknown: v.Unknown, Pos: v.Pos}
	if len(parts) > 1 {
		d.Container = parts[1]
	}
	if len(parts) > 2 {
		d.Permissions = parts[2]
	}
	c.Devices = append(c.Devices, d)
}

// applyPublish reads -p with the port parser the CLI uses.
func applyPublish(c *Container, v Word) {
	if v.Unknown {
		c.Ports = append(c.Ports, Port{Published: true, Unknown: true, Raw: v.Text, Pos: v.Pos})
		return
	}
	maps, err := nat.ParsePortSpec(v.Text)
	if err != nil {
		c.AddNote(v.Pos, "invalid --publish %q: %v", v.Text, err)
		return
	}
	for _, m := range maps {
		c.Ports = append(c.Ports, Port{HostIP: m.Binding.HostIP, HostPort: m.Binding.HostPort,
			ContainerPort: m.Port.Int(), Protocol: m.Port.Proto(), Published: true,
			Raw: v.Text, Pos: v.Pos})
	}
}

// applyPublishAll reads -P, which publishes every exposed port on a random
// host port of every interface.
func applyPublishAll(c *Container, v Word) { c.PublishAll = boolValue(c, v) }

// applyServicePublish reads docker service create --publish in the short
// and the key=value form.
func applyServicePublish(c *Container, v Word) {
	if v.Unknown {
		c.Ports = append(c.Ports, Port{Published: true, Unknown: true, Raw: v.Text, Pos: v.Pos})
		return
	}
	var po swarmopts.PortOpt
	if err := po.Set(v.Text); err != nil {
		c.AddNote(v.Pos, "invalid --publish %q: %v", v.Text, err)
		return
	}
	for _, pc := range po.Value() {
		p := Port{ContainerPort: int(pc.TargetPort), Protocol: string(pc.Protocol),
			Published: pc.PublishedPort != 0, Raw: v.Text, Pos: v.Pos}
		if pc.PublishedPort != 0 {
			p.HostPort = strconv.Itoa(int(pc.PublishedPort))
		}
		c.Ports = append(c.Ports, p)
	}
}

// applyExpose reads --expose PORT[/PROTO] or a range.
func applyExpose(c *Container, v Word) {
	if v.Unknown {
		return
	}
	proto, portRange := nat.SplitProtoPort(v.Text)
	start, end, err := nat.ParsePortRangeToInt(portRange)
	if err != nil {
		c.AddNote(v.Pos, "invalid --expose %q: %v", v.Text, err)
		return
	}
	for port := start; port <= end && port-start < 65536; port++ {
		c.Ports = append(c.Ports, Port{ContainerPort: port, Protocol: proto, Raw: v.Text, Pos: v.Pos})
	}
}

// applyEnv reads -e NAME=VALUE or -e NAME, which copies the caller's value.
func applyEnv(c *Container, v Word) {
	name, value, ok := strings.Cut(v.Text, "=")
	e := EnvVar{Name: name, Pos: v.Pos}
	switch {
	case !ok:
		e.Unknown = v.Unknown
	case v.Unknown:
		e.Unknown = true
	default:
		e.Value, e.Literal = value, true
	}
	c.Env = append(c.Env, e)
}

// applyEnvFile records --env-file FILE. LoadEnvFiles reads it later,
// because reading needs the project tree.
func applyEnvFile(c *Container, v Word) {
	c.EnvFiles = append(c.EnvFiles, EnvFile{Path: v.Text, Format: EnvFileDocker, Required: true,
		Unknown: v.Unknown, Pos: v.Pos})
}

func applySysctl(c *Container, v Word) {
	name, value, _ := strings.Cut(v.Text, "=")
	c.Sysctls = append(c.Sysctls, Sysctl{Name: name, Value: value, Unknown: v.Unknown, Pos: v.Pos})
}

// applyUlimit reads --ulimit NAME=SOFT[:HARD] with the CLI's parser.
func applyUlimit(c *Container, v Word) {
	if v.Unknown {
		name, _, _ := strings.Cut(v.Text, "=")
		c.Ulimits = append(c.Ulimits, Ulimit{Name: name, Unknown: true, Raw: v.Text, Pos: v.Pos})
		return
	}
	u, err := units.ParseUlimit(v.Text)
	if err != nil {
		c.AddNote(v.Pos, "invalid --ulimit %q: %v", v.Text, err)
		return
	}
	c.Ulimits = append(c.Ulimits, Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard, Raw: v.Text, Pos: v.Pos})
}

func applyMemory(c *Container, v Word) {
	c.Resources.Memory = memValue(c, v, false)
}

func applyMemoryReservation(c *Container, v Word) {
	c.Resources.MemoryReservation = memValue(c, v, false)
}

func applyMemorySwap(c *Container, v Word) {
	c.Resources.MemorySwap = memValue(c, v, true)
}

// memValue reads a size such as 512m or 2g with the CLI's parser; -1 is
// allowed for memory-swap.
func memValue(c *Container, v Word, swap bool) Value[int64] {
	if v.Unknown {
		return UnknownAt[int64](v.Text, v.Pos)
	}
	var n int64
	var err error
	if swap {
		var b opts.MemSwapBytes
		err = b.Set(v.Text)
		n = b.Value()
	} else {
		var b opts.MemBytes
		err = b.Set(v.Text)
		n = b.Value()
	}
	if err != nil {
		c.AddNote(v.Pos, "invalid memory size %q: %v", v.Text, err)
		return UnknownAt[int64](v.Text, v.Pos)
	}
	return Of(n, v.Text, v.Pos)
}

func applyCPUs(c *Container, v Word) {
	if v.Unknown {
		c.Resources.NanoCPUs = UnknownAt[int64](v.Text, v.Pos)
		return
	}
	n, err := opts.ParseCPUs(v.Text)
	if err != nil {
		c.AddNote(v.Pos, "invalid CPU count %q: %v", v.Text, err)
		c.Resources.NanoCPUs = UnknownAt[int64](v.Text, v.Pos)
		return
	}
	c.Resources.NanoCPUs = Of(n, v.Text, v.Pos)
}

func applyInt(field func(*Container) *Value[int64]) applyFunc {
	return func(c *Container, v Word) {
		if v.Unknown {
			*field(c) = UnknownAt[int64](v.Text, v.Pos)
			return
		}
		n, err := strconv.ParseInt(v.Text, 10, 64)
		if err != nil {
			c.AddNote(v.Pos, "invalid integer %q", v.Text)
			*field(c) = UnknownAt[int64](v.Text, v.Pos)
			return
		}
		*field(c) = Of(n, v.Text, v.Pos)
	}
}

func applyString(field func(*Container) *Value[string]) applyFunc {
	return func(c *Container, v Word) { *field(c) = stringValue(v) }
}

// applyRestart reads --restart NAME[:MAX] with the CLI's parser.
func applyRestart(c *Container, v Word) {
	if v.Unknown {
		c.Restart = UnknownAt[RestartPolicy](v.Text, v.Pos)
		return
	}
	rp, err := opts.ParseRestartPolicy(v.Text)
	if err != nil {
		c.AddNote(v.Pos, "invalid --restart %q: %v", v.Text, err)
		return
	}
	c.Restart = Of(RestartPolicy{Name: string(rp.Name), MaxRetries: rp.MaximumRetryCount}, v.Text, v.Pos)
}

// applyRestartCondition maps swarm conditions onto restart policy names.
func applyRestartCondition(c *Container, v Word) {
	if v.Unknown {
		c.Restart = UnknownAt[RestartPolicy](v.Text, v.Pos)
		return
	}
	name := v.Text
	switch name {
	case "any":
		name = "always"
	case "none":
		name = "no"
	}
	c.Restart = Of(RestartPolicy{Name: name, MaxRetries: c.Restart.V.MaxRetries}, v.Text, v.Pos)
}

func applyRestartMaxAttempts(c *Container, v Word) {
	n, err := strconv.Atoi(v.Text)
	if v.Unknown || err != nil {
		return
	}
	r := c.Restart
	if !r.Set {
		// Swarm restarts on any exit by default.
		r = Of(RestartPolicy{Name: "always"}, "", v.Pos)
	}
	r.V.MaxRetries = n
	c.Restart = r
}

func applyHealthCmd(c *Container, v Word) {
	if v.Unknown {
		c.Healthcheck = UnknownAt[Healthcheck](v.Text, v.Pos)
		return
	}
	c.Healthcheck = Of(Healthcheck{Test: []string{"CMD-SHELL", v.Text}}, v.Text, v.Pos)
}

func applyNoHealthcheck(c *Container, v Word) {
	b := boolValue(c, v)
	if b.Known() && b.V {
		c.Healthcheck = Of(Healthcheck{Test: []string{"NONE"}, Disabled: true}, v.Text, v.Pos)
	}
}
