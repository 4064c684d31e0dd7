package runtime

import (
	"path"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// DockerSocket fires when a container runtime's API socket, or the host
// directory that holds it, is mounted.
var DockerSocket = &rule.Rule{
	ID:       "RT022",
	Slug:     "docker-socket-mounted",
	Title:    "Docker socket mounted",
	Severity: finding.Critical,
	Kind:     rule.KindRuntime,
	Description: "Whoever can reach the Docker Engine API (or containerd's, CRI-O's or podman's) " +
		"can start a privileged container with the host's root file system mounted, so the " +
		"socket in a container is root on the host. Mounting it read-only does not help: the " +
		"flag only stops changes to the socket file, not requests over it. Mounting the " +
		"directory that holds a socket (/run, /var/run, /run/containerd, /run/crio, " +
		"/run/podman) exposes it just the same.",
	Fix: "Remove the mount. When a tool must talk to the engine, put a filtering proxy in front " +
		"of it or use a rootless engine. docker: remove `-v /var/run/docker.sock:/var/run/docker.sock`. " +
		"Compose: remove it from `volumes`. Kubernetes: remove the hostPath volume.",
	CIS:  "5.31",
	Bad:  "docker run -v /var/run/docker.sock:/var/run/docker.sock alpine:3.20",
	Good: "docker run -v app-data:/data alpine:3.20",
	Limits: "Mounts inherited with `--volumes-from` or compose's `volumes_from: [container:NAME]` " +
		"are not visible in a command line or compose file, so the audit reports a problem " +
		"there instead of a finding. Live containers and docker inspect output list the " +
		"inherited mounts, which are audited.",
}

// runtimeSockets are the API sockets of container engines.
var runtimeSockets = map[string]bool{
	"/var/run/docker.sock": true, "/run/docker.sock": true,
	"/var/run/containerd/containerd.sock": true, "/run/containerd/containerd.sock": true,
	"/var/run/crio/crio.sock": true, "/run/crio/crio.sock": true,
	"/var/run/podman/podman.sock": true, "/run/podman/podman.sock": true,
	"/var/run/dockershim.sock": true, "/var/run/cri-dockerd.sock": true,
	"/run/cri-dockerd.sock": true,
}

// socketDirectories maps the host directories that hold runtime API
// sockets to the sockets below them, relative to the directory.
var socketDirectories = map[string]string{
	"/run":                "docker.sock, containerd/containerd.sock, crio/crio.sock and podman/podman.sock",
	"/run/containerd":     "containerd.sock",
	"/run/crio":           "crio.sock",
	"/run/podman":         "podman.sock",
	"/var/run":            "docker.sock, containerd/containerd.sock, crio/crio.sock and podman/podman.sock",
	"/var/run/containerd": "containerd.sock",
	"/var/run/crio":       "crio.sock",
	"/var/run/podman":     "podman.sock",
}

func isRuntimeSocket(source string) bool {
	p := path.Clean(source)
	return runtimeSockets[p] || path.Base(p) == "docker.sock"
}

// isSocketDirectory reports whether source is a host directory that holds
// a runtime API socket.
func isSocketDirectory(source string) bool {
	_, ok := socketDirectories[path.Clean(source)]
	return ok
}

func checkDockerSocket(c *rt.Container, e *emitter) {
	for _, m := range c.Mounts {
		if m.Unknown || !isHostMount(m) {
			continue
		}
		if isRuntimeSocket(m.Source) {
			e.at(m.Pos, "the container runtime socket %s is mounted at %s", m.Source, m.Target)
			continue
		}
		if sockets, ok := socketDirectories[path.Clean(m.Source)]; ok {
			e.at(m.Pos, "host directory %s is mounted at %s, which exposes the container runtime "+
				"sockets that live there (%s, when those engines run on the host)", m.Source, m.Target, sockets)
		}
	}
}

// isHostMount reports whether a mount shares a host path.
func isHostMount(m rt.Mount) bool {
	return m.Type == rt.MountBind || m.Type == rt.MountHostPath
}
