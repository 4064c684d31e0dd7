package kube

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"

	"github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/input/yamlpos"
)

// Annotation keys of the seccomp and AppArmor settings that predate the
// securityContext fields. Kubernetes 1.30 made the appArmorProfile field GA
// and 1.27 stopped honouring the seccomp annotations, but manifests written
// for older clusters still carry them.
const (
	seccompPodAnnotation       = corev1.SeccompPodAnnotationKey
	seccompContainerAnnotation = corev1.SeccompContainerAnnotationKeyPrefix
	appArmorAnnotation         = corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix
)

// security fills the security settings. Container fields override pod
// fields, as the kubelet does; a field overrides an annotation at the same
// level.
func (w *workload) security(c *runtime.Container, e entry) {
	pod := w.spec.SecurityContext
	if pod == nil {
		pod = &corev1.PodSecurityContext{}
	}
	ctr := e.c.SecurityContext
	if ctr == nil {
		ctr = &corev1.SecurityContext{}
	}
	podNode := yamlpos.Get(w.specNode, "securityContext")
	ctrNode := yamlpos.Get(e.node, "securityContext")
	k := c.Kubernetes

	k.RunAsNonRoot = pickBool(ctr.RunAsNonRoot, pod.RunAsNonRoot, w, ctrNode, podNode, "runAsNonRoot")
	k.RunAsUser = pickInt(ctr.RunAsUser, pod.RunAsUser, w, ctrNode, podNode, "runAsUser")
	k.RunAsGroup = pickInt(ctr.RunAsGroup, pod.RunAsGroup, w, ctrNode, podNode, "runAsGroup")
	if k.RunAsUser.Set {
		u := strconv.FormatInt(k.RunAsUser.V, 10)
		c.Security.User = runtime.Of(u, u, k.RunAsUser.Pos)
	}

	if v := ctr.Privileged; v != nil {
		c.Security.Privileged = runtime.Of(*v, "", w.at(ctrNode, "privileged"))
	}
	if v := ctr.ReadOnlyRootFilesystem; v != nil {
		c.Security.ReadOnlyRootfs = runtime.Of(*v, "", w.at(ctrNode, "readOnlyRootFilesystem"))
	}
	if v := ctr.AllowPrivilegeEscalation; v != nil {
		pos := w.at(ctrNode, "allowPrivilegeEscalation")
		k.AllowPrivilegeEscalation = runtime.Of(*v, "", pos)
		c.Security.NoNewPrivileges = runtime.Of(!*v, "", pos)
	}
	if v := ctr.ProcMount; v != nil {
		pos := w.at(ctrNode, "procMount")
		k.ProcMount = runtime.Of(string(*v), string(*v), pos)
		if *v == corev1.UnmaskedProcMount {
			c.Security.Systempaths = runtime.Of("unconfined", string(*v), pos)
		}
	}
	if caps := ctr.Capabilities; caps != nil {
		c.Security.CapAdd = w.capabilities(caps.Add, ctrNode, "add")
		c.Security.CapDrop = w.capabilities(caps.Drop, ctrNode, "drop")
	}

	c.Security.SELinux = w.seLinux(ctr.SELinuxOptions, pod.SELinuxOptions, ctrNode, podNode)
	c.Security.Seccomp = w.seccomp(ctr.SeccompProfile, pod.SeccompProfile, ctrNode, podNode)
	c.Kubernetes.SeccompAnnotation = w.seccompAnnotation(e)
	c.Security.AppArmor = w.appArmor(e, ctr.AppArmorProfile, pod.AppArmorProfile, ctrNode, podNode)
}

func pickBool(ctr, pod *bool, w *workload, ctrNode, podNode *yaml.Node, key string) runtime.Value[bool] {
	switch {
	case ctr != nil:
		return runtime.Of(*ctr, "", w.at(ctrNode, key))
	case pod != nil:
		return runtime.Of(*pod, "", w.at(podNode, key))
	}
	return runtime.Value[bool]{}
}

func pickInt(ctr, pod *int64, w *workload, ctrNode, podNode *yaml.Node, key string) runtime.Value[int64] {
	switch {
	case ctr != nil:
		return runtime.Of(*ctr, strconv.FormatInt(*ctr, 10), w.at(ctrNode, key))
	case pod != nil:
		return runtime.Of(*pod, strconv.FormatInt(*pod, 10), w.at(podNode, key))
	}
	return runtime.Value[int64]{}
}

func (w *workload) capabilities(caps []corev1.Capability, ctrNode *yaml.Node, key string) []runtime.Value[string] {
	nodes := yamlpos.Items(yamlpos.Get(ctrNode, "capabilities", key))
	out := make([]runtime.Value[string], 0, len(caps))
	for i, cp := range caps {
		pos := w.at(ctrNode, "capabilities", key)
		if i < len(nodes) {
			pos = w.pos(nodes[i])
		}
		out = append(out, runtime.Of(string(cp), string(cp), pos))
	}
	return out
}

func (w *workload) seLinux(ctr, pod *corev1.SELinuxOptions, ctrNode, podNode *yaml.Node) []runtime.Value[runtime.SELinuxOption] {
	opts, node := ctr, yamlpos.Get(ctrNode, "seLinuxOptions")
	if opts == nil {
		opts, node = pod, yamlpos.Get(podNode, "seLinuxOptions")
	}
	if opts == nil {
		return nil
	}
	var out []runtime.Value[runtime.SELinuxOption]
	for _, kv := range [][2]string{
		{"user", opts.User}, {"role", opts.Role}, {"type", opts.Type}, {"level", opts.Level},
	} {
		if kv[1] == "" {
			continue
		}
		opt := runtime.SELinuxOption{Key: kv[0], Value: kv[1]}
		out = append(out, runtime.Of(opt, kv[0]+":"+kv[1], w.at(node, kv[0])))
	}
	return out
}

// seccomp picks the profile field in the kubelet's order: container, then
// pod. The annotations are not read here, because kubelets since
// Kubernetes 1.27 ignore them.
func (w *workload) seccomp(ctr, pod *corev1.SeccompProfile, ctrNode, podNode *yaml.Node) runtime.Value[runtime.Profile] {
	if ctr != nil {
		return w.seccompField(ctr, yamlpos.Get(ctrNode, "seccompProfile"))
	}
	if pod != nil {
		return w.seccompField(pod, yamlpos.Get(podNode, "seccompProfile"))
	}
	return runtime.Value[runtime.Profile]{}
}

// seccompAnnotation returns the seccomp annotation that older kubelets
// applied to the container: its own, else the pod's.
func (w *workload) seccompAnnotation(e entry) runtime.Value[string] {
	if v, pos, ok := w.annotation(seccompContainerAnnotation + e.c.Name); ok {
		return runtime.Of(v, seccompContainerAnnotation+e.c.Name, pos)
	}
	if v, pos, ok := w.annotation(seccompPodAnnotation); ok {
		return runtime.Of(v, seccompPodAnnotation, pos)
	}
	return runtime.Value[string]{}
}

func (w *workload) seccompField(p *corev1.SeccompProfile, n *yaml.Node) runtime.Value[runtime.Profile] {
	return w.profileField(string(p.Type), p.LocalhostProfile, n)
}

// profileField decodes the type and localhostProfile of a seccompProfile
// or appArmorProfile field, whose types share their names: RuntimeDefault,
// Unconfined and Localhost.
func (w *workload) profileField(typ string, localhost *string, n *yaml.Node) runtime.Value[runtime.Profile] {
	var prof runtime.Profile
	switch typ {
	case string(corev1.SeccompProfileTypeRuntimeDefault):
		prof.Kind = runtime.ProfileDefault
	case string(corev1.SeccompProfileTypeUnconfined):
		prof.Kind = runtime.ProfileUnconfined
	case string(corev1.SeccompProfileTypeLocalhost):
		prof.Kind = runtime.ProfileLocalhost
		if localhost != nil {
			prof.Name = *localhost
		}
	default:
		return runtime.UnknownAt[runtime.Profile](typ, w.at(n, "type"))
	}
	return runtime.Of(prof, typ, w.at(n, "type"))
}

// appArmor picks the profile in the kubelet's order: container field,
// container annotation, pod field.
func (w *workload) appArmor(e entry, ctr, pod *corev1.AppArmorProfile, ctrNode, podNode *yaml.Node) runtime.Value[runtime.Profile] {
	if ctr != nil {
		return w.appArmorField(ctr, yamlpos.Get(ctrNode, "appArmorProfile"))
	}
	if v, pos, ok := w.annotation(appArmorAnnotation + e.c.Name); ok {
		return runtime.Of(annotationProfile(v), v, pos)
	}
	if pod != nil {
		return w.appArmorField(pod, yamlpos.Get(podNode, "appArmorProfile"))
	}
	return runtime.Value[runtime.Profile]{}
}

func (w *workload) appArmorField(p *corev1.AppArmorProfile, n *yaml.Node) runtime.Value[runtime.Profile] {
	return w.profileField(string(p.Type), p.LocalhostProfile, n)
}

// annotation returns a pod template annotation and its position.
func (w *workload) annotation(key string) (string, runtime.Pos, bool) {
	v, ok := w.meta.Annotations[key]
	if !ok {
		return "", runtime.Pos{}, false
	}
	return v, w.at(w.metaNode, "annotations", key), true
}

// annotationProfile reads the value of a seccomp or AppArmor annotation:
// runtime/default, docker/default, unconfined or localhost/NAME.
func annotationProfile(v string) runtime.Profile {
	switch {
	case v == corev1.SeccompProfileRuntimeDefault || v == corev1.DeprecatedSeccompProfileDockerDefault:
		return runtime.Profile{Kind: runtime.ProfileDefault}
	case v == "unconfined":
		return runtime.Profile{Kind: runtime.ProfileUnconfined}
	case strings.HasPrefix(v, "localhost/"):
		return runtime.Profile{Kind: runtime.ProfileLocalhost, Name: strings.TrimPrefix(v, "localhost/")}
	}
	return runtime.Profile{Kind: runtime.ProfileNamed, Name: v}
}
