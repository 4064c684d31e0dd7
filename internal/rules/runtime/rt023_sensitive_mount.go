package runtime

import (
	"path"
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// SensitiveMount fires when a sensitive host path is mounted.
var SensitiveMount = &rule.Rule{
	ID:       "RT023",
	Slug:     "sensitive-host-path",
	Title:    "Sensitive host path mounted",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "The container mounts a host directory that holds the host's configuration, " +
		"credentials, kernel interfaces or other containers' data: /, /etc, /proc, /sys, /boot, " +
		"/dev, /root, /home, /var/lib/docker, /var/lib/kubelet, /var/lib/containerd, /usr, " +
		"/lib, /lib/modules, /bin or /sbin, or a path below /etc, /proc, /sys, " +
		"/boot, /root, /var/lib/docker or /var/lib/kubelet. A writable mount lets the container " +
		"change the host; a read-only one still leaks secrets such as /etc/shadow and is " +
		"reported with medium severity. /run and /var/run, which hold the runtime API " +
		"sockets, are RT022.",
	Fix: "Mount only the application's own directory or a named volume, read-only when it only " +
		"reads. docker: `-v /srv/app/config:/config:ro` instead of `-v /etc:/host/etc`. Compose: " +
		"the same under `volumes`. Kubernetes: a configMap or a narrow hostPath with " +
		"`readOnly: true`.",
	CIS:  "5.5",
	Bad:  "docker run -v /:/host alpine:3.20",
	Good: "docker run -v /srv/app/config:/config:ro alpine:3.20",
	Limits: "Paths are compared after cleaning; symbolic links on the host are not resolved. " +
		"Read-only mounts of files that only carry public host settings (/etc/localtime, " +
		"/etc/timezone, /etc/machine-id and the CA bundles under /etc/ssl/certs and " +
		"/etc/pki/ca-trust) are not reported. " + "Mounts inherited with `--volumes-from` or compose's `volumes_from: [container:NAME]` " +
		"are not visible in a command line or compose file, so the audit reports a problem " +
		"there instead of a finding. Live containers and docker inspect output list the " +
		"inherited mounts, which are audited.",
}

// sensitiveExact are host paths that are sensitive as a whole; mounting a
// file below them (such as /home/app/config.yml) is not reported.
var sensitiveExact = []string{"/", "/dev", "/home", "/usr", "/lib",
	"/lib64", "/bin", "/sbin", "/var", "/var/lib", "/lib/modules", "/var/lib/containerd",
	"/var/log"}

// sensitiveTrees are host paths that are sensitive with everything below.
var sensitiveTrees = []string{"/etc", "/proc", "/sys", "/boot", "/root", "/var/lib/docker",
	"/var/lib/kubelet", "/etc/kubernetes"}

// harmlessReadOnly are host paths under sensitive trees that only carry
// public settings, so mounting them read-only is not reported.
var harmlessReadOnly = []string{"/etc/localtime", "/etc/timezone", "/etc/machine-id",
	"/etc/ssl/certs", "/etc/pki/ca-trust"}

func isHarmlessReadOnly(p string) bool {
	p = path.Clean(p)
	for _, h := range harmlessReadOnly {
		if p == h || strings.HasPrefix(p, h+"/") {
			return true
		}
	}
	return false
}

func isSensitivePath(p string) bool {
	p = path.Clean(p)
	for _, s := range sensitiveExact {
		if p == s {
			return true
		}
	}
	for _, s := range sensitiveTrees {
		if p == s || strings.HasPrefix(p, s+"/") {
			return true
		}
	}
	return false
}

func checkSensitiveMount(c *rt.Container, e *emitter) {
	for _, m := range c.Mounts {
		if m.Unknown || !isHostMount(m) || !strings.HasPrefix(m.Source, "/") ||
			isRuntimeSocket(m.Source) || isSocketDirectory(m.Source) || !isSensitivePath(m.Source) {
			continue
		}
		if m.ReadOnly && isHarmlessReadOnly(m.Source) {
			continue
		}
		if m.ReadOnly {
			f := e.at(m.Pos, "host path %s is mounted read-only at %s", m.Source, m.Target)
			f.Severity = finding.Medium
			continue
		}
		e.at(m.Pos, "host path %s is mounted writable at %s", m.Source, m.Target)
	}
}
