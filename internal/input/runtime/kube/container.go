package kube

import (
	"strconv"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/input/yamlpos"
)

// workload is one pod template with its nodes.
type workload struct {
	path     string
	name     string // Kind/name
	meta     *metav1.ObjectMeta
	spec     *corev1.PodSpec
	metaNode *yaml.Node
	specNode *yaml.Node
	// account is the automountServiceAccountToken node of the pod's
	// service account when the same file defines it, or nil.
	account *yaml.Node
}

// entry is one container of a pod, whatever its list.
type entry struct {
	kind string // "container", "initContainer", "ephemeralContainer"
	c    *corev1.Container
	node *yaml.Node
}

func (w *workload) containers() []*runtime.Container {
	var entries []entry
	add := func(kind, key string, cs []corev1.Container) {
		nodes := yamlpos.Items(yamlpos.Get(w.specNode, key))
		for i := range cs {
			var n *yaml.Node
			if i < len(nodes) {
				n = nodes[i]
			}
			entries = append(entries, entry{kind: kind, c: &cs[i], node: n})
		}
	}
	add("initContainer", "initContainers", w.spec.InitContainers)
	add("container", "containers", w.spec.Containers)
	eph := make([]corev1.Container, len(w.spec.EphemeralContainers))
	for i, e := range w.spec.EphemeralContainers {
		eph[i] = corev1.Container(e.EphemeralContainerCommon)
	}
	add("ephemeralContainer", "ephemeralContainers", eph)

	out := make([]*runtime.Container, 0, len(entries))
	for _, e := range entries {
		out = append(out, w.container(e))
	}
	return out
}

func (w *workload) pos(n *yaml.Node) runtime.Pos {
	if n == nil {
		return runtime.Pos{Path: w.path}
	}
	return runtime.Pos{Path: w.path, Line: n.Line, Column: n.Column}
}

// at returns the position of the value at keys under n, or of n itself
// when the keys are absent.
func (w *workload) at(n *yaml.Node, keys ...string) runtime.Pos {
	if v := yamlpos.Get(n, keys...); v != nil {
		return w.pos(v)
	}
	return w.pos(n)
}

func (w *workload) container(e entry) *runtime.Container {
	c := &runtime.Container{
		Source:     runtime.SourceKubernetes,
		Name:       e.c.Name,
		Workload:   w.name,
		Pos:        w.pos(e.node),
		Kubernetes: &runtime.KubernetesSettings{ContainerKind: e.kind},
	}
	if e.c.Image != "" {
		c.Image = runtime.Of(e.c.Image, e.c.Image, w.at(e.node, "image"))
	}

	w.security(c, e)
	w.resources(c, e)
	w.namespaces(c)
	w.probe(c, e)
	w.volumes(c, e)
	w.ports(c, e)
	w.env(c, e)
	w.sysctls(c)

	switch v := w.spec.AutomountServiceAccountToken; {
	case v != nil:
		c.Kubernetes.AutomountServiceAccountToken = runtime.Of(*v, "",
			w.at(w.specNode, "automountServiceAccountToken"))
	case w.account != nil:
		if b, err := strconv.ParseBool(w.account.Value); err == nil {
			c.Kubernetes.AutomountServiceAccountToken = runtime.Of(b, w.account.Value, w.pos(w.account))
		}
	}
	return c
}

func (w *workload) resources(c *runtime.Container, e entry) {
	limits := e.c.Resources.Limits
	if q, ok := limits[corev1.ResourceMemory]; ok {
		c.Resources.Memory = runtime.Of(q.Value(), q.String(),
			w.at(e.node, "resources", "limits", "memory"))
	}
	if q, ok := limits[corev1.ResourceCPU]; ok {
		c.Resources.NanoCPUs = runtime.Of(q.MilliValue()*1_000_000, q.String(),
			w.at(e.node, "resources", "limits", "cpu"))
	}
	if q, ok := e.c.Resources.Requests[corev1.ResourceMemory]; ok {
		c.Resources.MemoryReservation = runtime.Of(q.Value(), q.String(),
			w.at(e.node, "resources", "requests", "memory"))
	}
}

func (w *workload) namespaces(c *runtime.Container) {
	host := func(set bool, key string) runtime.Value[string] {
		if !set {
			return runtime.Value[string]{}
		}
		return runtime.Of("host", key+": true", w.at(w.specNode, key))
	}
	c.Namespace.Network = host(w.spec.HostNetwork, "hostNetwork")
	// CRI runtimes put a pod on the host network in the node's UTS
	// namespace too (containerd's sandbox_run_linux.go drops both), so
	// the pod shares the node's hostname.
	c.Namespace.UTS = host(w.spec.HostNetwork, "hostNetwork")
	c.Namespace.PID = host(w.spec.HostPID, "hostPID")
	c.Namespace.IPC = host(w.spec.HostIPC, "hostIPC")
	if v := w.spec.HostUsers; v != nil {
		mode := "private"
		if *v {
			mode = "host"
		}
		c.Namespace.User = runtime.Of(mode, "hostUsers: "+strconv.FormatBool(*v),
			w.at(w.specNode, "hostUsers"))
	}
}

// probe records the liveness probe, or else the readiness or startup
// probe, as the container's health check.
func (w *workload) probe(c *runtime.Container, e entry) {
	probes := []struct {
		key string
		p   *corev1.Probe
	}{
		{"livenessProbe", e.c.LivenessProbe},
		{"readinessProbe", e.c.ReadinessProbe},
		{"startupProbe", e.c.StartupProbe},
	}
	for _, pr := range probes {
		if pr.p == nil {
			continue
		}
		var test []string
		switch h := pr.p.ProbeHandler; {
		case h.Exec != nil:
			test = append([]string{"CMD"}, h.Exec.Command...)
		case h.HTTPGet != nil:
			test = []string{"HTTP"}
		case h.TCPSocket != nil:
			test = []string{"TCP"}
		case h.GRPC != nil:
			test = []string{"GRPC"}
		default:
			continue
		}
		c.Healthcheck = runtime.Of(runtime.Healthcheck{Test: test}, "", w.at(e.node, pr.key))
		return
	}
}

func (w *workload) volumes(c *runtime.Container, e entry) {
	vols := make(map[string]*corev1.Volume, len(w.spec.Volumes))
	for i := range w.spec.Volumes {
		vols[w.spec.Volumes[i].Name] = &w.spec.Volumes[i]
	}
	nodes := yamlpos.Items(yamlpos.Get(e.node, "volumeMounts"))
	for i, vm := range e.c.VolumeMounts {
		var n *yaml.Node
		if i < len(nodes) {
			n = nodes[i]
		}
		pos := w.pos(n)
		v := vols[vm.Name]
		if v != nil && v.EmptyDir != nil && v.EmptyDir.Medium == corev1.StorageMediumMemory {
			c.Tmpfs = append(c.Tmpfs, runtime.Tmpfs{Target: vm.MountPath, Pos: pos})
			continue
		}
		m := runtime.Mount{
			Type:     runtime.MountOther,
			Source:   vm.Name,
			Target:   vm.MountPath,
			ReadOnly: vm.ReadOnly,
			Raw:      vm.Name + ":" + vm.MountPath,
			Pos:      pos,
		}
		if vm.MountPropagation != nil {
			m.Propagation = string(*vm.MountPropagation)
		}
		switch {
		case v == nil:
		case v.HostPath != nil:
			m.Type = runtime.MountHostPath
			m.Source = v.HostPath.Path
		case v.PersistentVolumeClaim != nil:
			m.Type = runtime.MountVolume
			m.Source = v.PersistentVolumeClaim.ClaimName
			m.ReadOnly = m.ReadOnly || v.PersistentVolumeClaim.ReadOnly
		}
		c.Mounts = append(c.Mounts, m)
	}
}

func (w *workload) ports(c *runtime.Container, e entry) {
	nodes := yamlpos.Items(yamlpos.Get(e.node, "ports"))
	for i, p := range e.c.Ports {
		var n *yaml.Node
		if i < len(nodes) {
			n = nodes[i]
		}
		port := runtime.Port{
			HostIP:        p.HostIP,
			ContainerPort: int(p.ContainerPort),
			Protocol:      string(p.Protocol),
			Raw:           strconv.Itoa(int(p.ContainerPort)),
			Pos:           w.pos(n),
		}
		if p.HostPort != 0 {
			port.HostPort = strconv.Itoa(int(p.HostPort))
			port.Published = true
			port.Pos = w.at(n, "hostPort")
		}
		c.Ports = append(c.Ports, port)
	}
}

func (w *workload) env(c *runtime.Container, e entry) {
	nodes := yamlpos.Items(yamlpos.Get(e.node, "env"))
	for i, ev := range e.c.Env {
		var n *yaml.Node
		if i < len(nodes) {
			n = nodes[i]
		}
		c.Env = append(c.Env, runtime.EnvVar{
			Name:    ev.Name,
			Value:   ev.Value,
			Literal: ev.ValueFrom == nil && yamlpos.Get(n, "value") != nil,
			Pos:     w.at(n, "value"),
		})
	}
}

func (w *workload) sysctls(c *runtime.Container) {
	sc := w.spec.SecurityContext
	if sc == nil {
		return
	}
	nodes := yamlpos.Items(yamlpos.Get(w.specNode, "securityContext", "sysctls"))
	for i, s := range sc.Sysctls {
		var n *yaml.Node
		if i < len(nodes) {
			n = nodes[i]
		}
		c.Sysctls = append(c.Sysctls, runtime.Sysctl{Name: s.Name, Value: s.Value, Pos: w.pos(n)})
	}
}
