package image

import (
	"strconv"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var im014 = &rule.Rule{
	ID: "IM014", Slug: "image-sensitive-port", Severity: finding.Medium, Kind: rule.KindImage,
	Title: "Sensitive port exposed",
	Description: "The image exposes a port of a remote-administration or control-plane service: " +
		"SSH (22), Telnet (23), FTP (21), the Docker Engine API (2375, 2376), etcd (2379, 2380), " +
		"the Kubernetes API (6443) and kubelet (10250, 10255), RDP (3389), VNC (5900), WinRM " +
		"(5985, 5986), SMB and NetBIOS (139, 445, 135), and rpcbind (111). Such services in an " +
		"application container widen the attack surface, and `docker run -P` publishes every " +
		"exposed port on the host.",
	Fix: "Remove the EXPOSE line and the service. Use `docker exec` or `kubectl exec` for " +
		"administration instead of SSH in the container.",
	Bad:    "FROM debian:12\nRUN apt-get install -y openssh-server\nEXPOSE 22",
	Good:   "FROM debian:12\nEXPOSE 8080",
	Limits: "Only the ports listed are known; a service on a non-standard port is missed.",
}

var sensitivePorts = map[int]string{
	21: "FTP", 22: "SSH", 23: "Telnet", 111: "rpcbind", 135: "Microsoft RPC", 139: "NetBIOS",
	445: "SMB", 2375: "Docker Engine API without TLS", 2376: "Docker Engine API",
	2379: "etcd client API", 2380: "etcd peer API", 3389: "RDP", 5900: "VNC", 5985: "WinRM",
	5986: "WinRM over TLS", 6443: "Kubernetes API server", 10250: "kubelet API", 10255: "kubelet read-only API",
}

func checkSensitivePorts(r *result) {
	cfg := r.in.Config
	if cfg == nil {
		return
	}
	for _, spec := range sortedKeys(cfg.Config.ExposedPorts) {
		port, proto, _ := strings.Cut(spec, "/")
		n, err := strconv.Atoi(port)
		if err != nil {
			continue
		}
		if service, ok := sensitivePorts[n]; ok {
			if proto == "" {
				proto = "tcp"
			}
			r.add(im014.New(r.configLocation(), "the image exposes port %d/%s (%s)", n, proto, service))
		}
	}
}
