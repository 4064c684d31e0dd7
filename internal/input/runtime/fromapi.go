package runtime

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/image"
)

// FromInspect maps an Engine API container onto the model. raw is the
// same container as JSON, used to tell an empty list from a missing one.
// pos returns the position of a field given as a slash-separated path
// such as "HostConfig/Privileged". The engine reports every setting with
// its defaults filled in, and the user and health check already merged
// from the image.
func FromInspect(resp container.InspectResponse, raw []byte, src SourceKind, pos func(string) Pos) *Container {
	c := &Container{Source: src, Name: strings.TrimPrefix(resp.Name, "/"), Pos: pos("")}
	cfg := resp.Config
	if cfg == nil {
		cfg = &container.Config{}
	}
	hc := resp.HostConfig
	if hc == nil {
		hc = &container.HostConfig{}
	}

	c.Image = Of(cfg.Image, cfg.Image, pos("Config/Image"))
	// The engine merges the image's USER and HEALTHCHECK into Config, so
	// what Config lacks the image lacks too.
	c.ImageConfig = &ImageConfig{Ref: cfg.Image, User: Of("", "", pos("Config/User"))}
	if cfg.User != "" {
		c.Security.User = Of(cfg.User, cfg.User, pos("Config/User"))
	}
	if h := cfg.Healthcheck; h != nil && len(h.Test) > 0 {
		c.Healthcheck = Of(Healthcheck{Test: h.Test, Disabled: h.Test[0] == "NONE"}, "", pos("Config/Healthcheck"))
	}

	inspectSecurity(c, &resp, hc, raw, pos)
	inspectResources(c, hc, pos)
	inspectNamespaces(c, hc, pos)
	inspectMounts(c, &resp, hc, pos)
	inspectPorts(c, cfg, hc, pos)
	if hc.PublishAllPorts {
		c.PublishAll = Of(true, "", pos("HostConfig/PublishAllPorts"))
	}
	for _, v := range hc.VolumesFrom {
		// The engine lists the inherited mounts in Mounts, so the mount
		// rules see them; this only records where they came from.
		c.AddVolumesFrom(Of(v, v, pos("HostConfig/VolumesFrom")))
	}

	for _, kv := range cfg.Env {
		name, value, _ := strings.Cut(kv, "=")
		c.Env = append(c.Env, EnvVar{Name: name, Value: value, Literal: true, Pos: pos("Config/Env")})
	}
	for _, name := range sortedKeys(hc.Sysctls) {
		c.Sysctls = append(c.Sysctls, Sysctl{Name: name, Value: hc.Sysctls[name], Pos: pos("HostConfig/Sysctls/" + name)})
	}
	rp := hc.RestartPolicy
	name := string(rp.Name)
	if name == "" {
		name = "no"
	}
	c.Restart = Of(RestartPolicy{Name: name, MaxRetries: rp.MaximumRetryCount}, name, pos("HostConfig/RestartPolicy"))
	return c
}

func inspectSecurity(c *Container, resp *container.InspectResponse, hc *container.HostConfig, raw []byte, pos func(string) Pos) {
	s := &c.Security
	// false is the engine's default, not a choice, so it stays unset and
	// messages report the flag as missing.
	if hc.Privileged {
		s.Privileged = Of(true, "", pos("HostConfig/Privileged"))
	}
	if hc.ReadonlyRootfs {
		s.ReadOnlyRootfs = Of(true, "", pos("HostConfig/ReadonlyRootfs"))
	}
	for _, v := range hc.CapAdd {
		s.CapAdd = append(s.CapAdd, Of(v, v, pos("HostConfig/CapAdd")))
	}
	for _, v := range hc.CapDrop {
		s.CapDrop = append(s.CapDrop, Of(v, v, pos("HostConfig/CapDrop")))
	}
	for _, o := range hc.SecurityOpt {
		s.AddSecurityOpt(ParseSecurityOpt(o, pos("HostConfig/SecurityOpt")))
	}
	// The engine records the AppArmor profile it applied. Privileged
	// containers always run unconfined, which RT002 already reports.
	if !s.AppArmor.Set && !hc.Privileged {
		switch resp.AppArmorProfile {
		case "unconfined":
			s.AppArmor = Of(Profile{Kind: ProfileUnconfined}, "unconfined", pos("AppArmorProfile"))
		case "":
		default:
			s.AppArmor = Of(apparmorProfile(resp.AppArmorProfile), resp.AppArmorProfile, pos("AppArmorProfile"))
		}
	}
	// The CLI turns systempaths=unconfined into empty MaskedPaths and
	// ReadonlyPaths, which the engine otherwise fills with its defaults.
	var paths struct {
		HostConfig struct{ MaskedPaths *[]string }
	}
	if json.Unmarshal(raw, &paths) == nil && paths.HostConfig.MaskedPaths != nil &&
		len(*paths.HostConfig.MaskedPaths) == 0 && !hc.Privileged {
		s.Systempaths = Of("unconfined", "", pos("HostConfig/MaskedPaths"))
	}
}

func inspectResources(c *Container, hc *container.HostConfig, pos func(string) Pos) {
	r := &c.Resources
	// Zero values mean "no limit" and are left unset, so messages state
	// that no limit is set.
	if hc.Memory != 0 {
		r.Memory = Of(hc.Memory, "", pos("HostConfig/Memory"))
	}
	r.MemoryReservation = Of(hc.MemoryReservation, "", pos("HostConfig/MemoryReservation"))
	if hc.MemorySwap != 0 {
		r.MemorySwap = Of(hc.MemorySwap, "", pos("HostConfig/MemorySwap"))
	}
	if hc.NanoCPUs != 0 {
		r.NanoCPUs = Of(hc.NanoCPUs, "", pos("HostConfig/NanoCpus"))
	}
	if hc.CPUQuota != 0 {
		r.CPUQuota = Of(hc.CPUQuota, "", pos("HostConfig/CpuQuota"))
	}
	r.CPUPeriod = Of(hc.CPUPeriod, "", pos("HostConfig/CpuPeriod"))
	r.CPUShares = Of(hc.CPUShares, "", pos("HostConfig/CpuShares"))
	if hc.CpusetCpus != "" {
		r.CPUSetCPUs = Of(hc.CpusetCpus, "", pos("HostConfig/CpusetCpus"))
	}
	if hc.PidsLimit != nil && *hc.PidsLimit != 0 {
		r.PidsLimit = Of(*hc.PidsLimit, "", pos("HostConfig/PidsLimit"))
	}
	r.CgroupParent = Of(hc.CgroupParent, "", pos("HostConfig/CgroupParent"))
	for _, u := range hc.Ulimits {
		if u != nil {
			c.Ulimits = append(c.Ulimits, Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard, Pos: pos("HostConfig/Ulimits")})
		}
	}
	for _, d := range hc.Devices {
		c.Devices = append(c.Devices, Device{Host: d.PathOnHost, Container: d.PathInContainer,
			Permissions: d.CgroupPermissions, Pos: pos("HostConfig/Devices")})
	}
	for i, d := range hc.DeviceRequests {
		c.AddAPIDeviceRequest(d, "", pos("HostConfig/DeviceRequests/"+itoa(i)))
	}
	for i, r := range hc.DeviceCgroupRules {
		c.AddDeviceCgroupRule(r, false, pos("HostConfig/DeviceCgroupRules/"+itoa(i)))
	}
}

func inspectNamespaces(c *Container, hc *container.HostConfig, pos func(string) Pos) {
	n := &c.Namespace
	n.Network = Of(string(hc.NetworkMode), "", pos("HostConfig/NetworkMode"))
	n.PID = Of(string(hc.PidMode), "", pos("HostConfig/PidMode"))
	n.IPC = Of(string(hc.IpcMode), "", pos("HostConfig/IpcMode"))
	n.UTS = Of(string(hc.UTSMode), "", pos("HostConfig/UTSMode"))
	n.User = Of(string(hc.UsernsMode), "", pos("HostConfig/UsernsMode"))
	n.Cgroup = Of(string(hc.CgroupnsMode), "", pos("HostConfig/CgroupnsMode"))
}

func inspectMounts(c *Container, resp *container.InspectResponse, hc *container.HostConfig, pos func(string) Pos) {
	for _, target := range sortedKeys(hc.Tmpfs) {
		t := Tmpfs{Target: target, OptionsKnown: true, Pos: pos("HostConfig/Tmpfs/" + target)}
		if o := hc.Tmpfs[target]; o != "" {
			t.Options = strings.Split(o, ",")
		}
		c.Tmpfs = append(c.Tmpfs, t)
	}
	for i, m := range hc.Mounts {
		if m.Type == "tmpfs" {
			c.addAPIMount(m, "", pos("HostConfig/Mounts/"+itoa(i)))
		}
	}
	for i, m := range resp.Mounts {
		if m.Type == "tmpfs" {
			continue
		}
		c.Mounts = append(c.Mounts, Mount{Type: MountType(m.Type), Source: m.Source, Target: m.Destination,
			ReadOnly: !m.RW, Propagation: string(m.Propagation), Pos: pos("Mounts/" + itoa(i))})
	}
}

func inspectPorts(c *Container, cfg *container.Config, hc *container.HostConfig, pos func(string) Pos) {
	published := map[string]bool{}
	keys := make([]string, 0, len(hc.PortBindings))
	byKey := map[string][]string{}
	for port, bindings := range hc.PortBindings {
		k := port.String()
		keys = append(keys, k)
		for _, b := range bindings {
			ip := ""
			if b.HostIP.IsValid() {
				ip = b.HostIP.String()
			}
			byKey[k] = append(byKey[k], ip+"\x00"+b.HostPort)
		}
		published[k] = true
		if len(bindings) == 0 {
			byKey[k] = append(byKey[k], "\x00")
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		num, proto := splitPort(k)
		for _, b := range byKey[k] {
			ip, hostPort, _ := strings.Cut(b, "\x00")
			c.Ports = append(c.Ports, Port{HostIP: ip, HostPort: hostPort, ContainerPort: num, Protocol: proto,
				Published: true, Raw: k, Pos: pos("HostConfig/PortBindings/" + k)})
		}
	}
	exposed := make([]string, 0, len(cfg.ExposedPorts))
	for port := range cfg.ExposedPorts {
		if !published[port.String()] {
			exposed = append(exposed, port.String())
		}
	}
	sort.Strings(exposed)
	for _, k := range exposed {
		num, proto := splitPort(k)
		c.Ports = append(c.Ports, Port{ContainerPort: num, Protocol: proto, Raw: k, Pos: pos("Config/ExposedPorts/" + k)})
	}
}

func splitPort(s string) (int, string) {
	num, proto, _ := strings.Cut(s, "/")
	n := 0
	for _, r := range num {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n, proto
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func itoa(i int) string { return strconv.Itoa(i) }

// FromEngine maps a container inspected on a running engine onto the
// model. Its positions name the container as container/NAME, because the
// settings come from no file.
func FromEngine(resp container.InspectResponse, raw []byte) *Container {
	pos := Pos{Path: "container/" + strings.TrimPrefix(resp.Name, "/")}
	return FromInspect(resp, raw, SourceLive, func(string) Pos { return pos })
}

// FromImageInspect returns the user and health check of an image as the
// engine reports it. The engine's image configuration is complete, so an
// empty user means the image sets none.
func FromImageInspect(ref string, resp image.InspectResponse) *ImageConfig {
	pos := Pos{Path: "image/" + ref}
	ic := &ImageConfig{Ref: ref, User: Of("", "", pos)}
	if resp.Config == nil {
		return ic
	}
	ic.User = Of(resp.Config.User, resp.Config.User, pos)
	for port := range resp.Config.ExposedPorts {
		ic.ExposedPorts = append(ic.ExposedPorts, port)
	}
	sort.Strings(ic.ExposedPorts)
	if h := resp.Config.Healthcheck; h != nil && len(h.Test) > 0 {
		ic.Healthcheck = Of(Healthcheck{Test: h.Test, Disabled: h.Test[0] == "NONE"}, "", pos)
	}
	return ic
}
