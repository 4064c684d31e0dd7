package runtime

import (
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
		"/dev/kmem expose memory, and /dev/fuse or /dev/net/tun widen the kernel surface.",
	Fix: "Remove the device, or give it with the narrowest permissions. docker: remove " +
		"`--device /dev/sda` or use `--device /dev/video0:/dev/video0:r`. Compose: remove it " +
		"from `devices`. Kubernetes: use a device plugin instead of a hostPath to /dev.",
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
}
