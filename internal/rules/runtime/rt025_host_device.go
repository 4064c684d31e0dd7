package runtime

import (
	"fmt"
	"slices"
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// HostDevice fires when a host device is added.
var HostDevice = &rule.Rule{
	ID:       "RT025",
	Slug:     "host-device",
	Title:    "Host device added",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "A host device in the container gives direct access to hardware or kernel " +
		"interfaces: a disk (/dev/sda) can be mounted to read the host's files, /dev/mem and " +
		"/dev/kmem expose memory, and /dev/fuse or /dev/net/tun widen the kernel surface. GPUs " +
		"requested with `--gpus` bring the driver's device nodes and libraries from the host. " +
		"A device cgroup rule lets the container use every device the rule matches: it can " +
		"create those device nodes itself, since it has CAP_MKNOD by default, so `c *:* rwm` or " +
		"`a *:* rwm` is at least as broad as any `--device`.",
	Fix: "Remove the device, or give it with the narrowest permissions. docker: remove " +
		"`--device /dev/sda` or use `--device /dev/video0:/dev/video0:r`; request GPUs by ID " +
		"(`--gpus device=0`) instead of `--gpus all`; write a cgroup rule for one device " +
		"(`--device-cgroup-rule 'c 10:200 rw'`) instead of a wildcard. Compose: remove it from " +
		"`devices`, set `device_ids` instead of `count: all` under " +
		"`deploy.resources.reservations.devices` or `gpus`, and narrow `device_cgroup_rules`. " +
		"Kubernetes: use a device plugin resource (`resources.limits: {nvidia.com/gpu: 1}`) " +
		"instead of a hostPath to /dev; it has no device cgroup rules.",
	Limits: "Kubernetes GPUs and other devices requested through device plugin resources " +
		"(`resources.limits` such as `nvidia.com/gpu`) are not reported, since the plugin hands " +
		"out only the devices it manages.",
	CIS:  "5.17",
	Bad:  "docker run --device /dev/sda:/dev/xvda alpine:3.20",
	Good: "docker run alpine:3.20",
}

func checkHostDevice(c *rt.Container, e *emitter) {
	for _, d := range c.Devices {
		if d.Unknown {
			e.at(d.Pos, "a host device is added (%s)", d.Host)
			continue
		}
		perms := ""
		if d.Permissions != "" {
			perms = " with permissions " + d.Permissions
		}
		e.at(d.Pos, "host device %s is added as %s%s", d.Host, d.Container, perms)
	}
	for _, d := range c.DeviceRequests {
		e.at(d.Pos, "%s", deviceRequestMessage(c, d))
	}
	for _, r := range c.DeviceCgroupRules {
		e.at(r.Pos, "%s", cgroupRuleMessage(c, r))
	}
}

// deviceRequestMessage describes a GPU or other device request.
func deviceRequestMessage(c *rt.Container, d rt.DeviceRequest) string {
	flag := cli(c, "--gpus", "a device request", "")
	if fromEngine(c) {
		flag = "HostConfig.DeviceRequests"
	}
	if d.Unknown {
		return fmt.Sprintf("%s %s requests host devices that cannot be resolved", flag, d.Raw)
	}
	noun := "device"
	if slices.ContainsFunc(d.Capabilities, func(caps []string) bool { return slices.Contains(caps, "gpu") }) {
		noun = "GPU"
	}
	driver := ""
	if d.Driver != "" {
		driver = " from driver " + d.Driver
	}
	switch {
	case len(d.DeviceIDs) > 0:
		return fmt.Sprintf("%s gives the container host %ss %s%s", flag, noun,
			strings.Join(d.DeviceIDs, ","), driver)
	case d.Count < 0:
		return fmt.Sprintf("%s gives the container every host %s%s", flag, noun, driver)
	case d.Count == 1:
		return fmt.Sprintf("%s gives the container 1 host %s%s", flag, noun, driver)
	}
	return fmt.Sprintf("%s gives the container %d host %ss%s", flag, d.Count, noun, driver)
}

// cgroupRuleMessage describes what a device cgroup rule allows. Without
// CAP_MKNOD the container cannot create device nodes, but it can still
// use those that a mount brings in.
func cgroupRuleMessage(c *rt.Container, r rt.DeviceCgroupRule) string {
	flag := cli(c, "--device-cgroup-rule", "device_cgroup_rules", "")
	if fromEngine(c) {
		flag = "HostConfig.DeviceCgroupRules"
	}
	if r.Unknown {
		return fmt.Sprintf("%s %q may allow any host device", flag, r.Raw)
	}
	kind := map[string]string{"a": "device", "b": "block device", "c": "character device"}[r.Type]
	mknod := ", and the container can create the device nodes because it keeps CAP_MKNOD"
	if dropsAll(c) || slices.ContainsFunc(c.Security.CapDrop, func(v rt.Value[string]) bool {
		return v.Known() && capName(v.V) == "MKNOD"
	}) {
		mknod = ""
	}
	if r.Type == "a" || r.Major == "*" {
		return fmt.Sprintf("%s %q allows %s on every host %s%s", flag, r.Raw, access(r.Access), kind, mknod)
	}
	return fmt.Sprintf("%s %q allows %s on host %s %s:%s%s", flag, r.Raw, access(r.Access), kind,
		r.Major, r.Minor, mknod)
}

// access spells out the letters of a cgroup access string.
func access(s string) string {
	var words []string
	for _, l := range []struct{ letter, word string }{{"r", "read"}, {"w", "write"}, {"m", "mknod"}} {
		if strings.Contains(s, l.letter) {
			words = append(words, l.word)
		}
	}
	return strings.Join(words, ", ")
}
