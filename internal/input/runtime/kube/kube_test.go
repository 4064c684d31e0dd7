package kube

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/dockward/dockward/internal/input/runtime"
)

func read(t *testing.T, src string) Result {
	t.Helper()
	return Reader{}.Read("m.yaml", []byte(src))
}

func find(t *testing.T, res Result, name string) *runtime.Container {
	t.Helper()
	for _, c := range res.Containers {
		if c.Name == name {
			return c
		}
	}
	require.Failf(t, "container not found", "no container %q among %d", name, len(res.Containers))
	return nil
}

func TestWorkloadKinds(t *testing.T) {
	tests := []struct {
		kind, spec string
	}{
		{"Pod", "spec:\n  containers:\n  - name: app\n    image: nginx:1.27\n"},
		{"Deployment", "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"},
		{"StatefulSet", "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"},
		{"DaemonSet", "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"},
		{"ReplicaSet", "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"},
		{"ReplicationController", "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"},
		{"Job", "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"},
		{"CronJob", "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: app\n            image: nginx:1.27\n"},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			res := read(t, "apiVersion: v1\nkind: "+tc.kind+"\nmetadata:\n  name: w\n"+tc.spec)
			require.Empty(t, res.Problems)
			require.Len(t, res.Containers, 1)
			c := res.Containers[0]
			require.Equal(t, tc.kind+"/w", c.Workload)
			require.Equal(t, "nginx:1.27", c.Image.V)
			require.Equal(t, runtime.SourceKubernetes, c.Source)
		})
	}
}

func TestCronJobTemplateSecurity(t *testing.T) {
	res := read(t, `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: unconfined
        spec:
          securityContext:
            runAsNonRoot: true
          containers:
          - name: app
            image: busybox:1.36
`)
	require.Empty(t, res.Problems)
	c := find(t, res, "app")
	require.True(t, runtime.Is(c.Kubernetes.RunAsNonRoot, true))
	require.Equal(t, 15, c.Kubernetes.RunAsNonRoot.Pos.Line)
	require.Equal(t, runtime.ProfileUnconfined, c.Security.AppArmor.V.Kind)
	require.Equal(t, 12, c.Security.AppArmor.Pos.Line)
}

func TestAppArmorSources(t *testing.T) {
	res := read(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/annotated: localhost/deny-write
    container.apparmor.security.beta.kubernetes.io/both: unconfined
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
  containers:
  - name: annotated
    image: a:1
  - name: both
    image: a:1
    securityContext:
      appArmorProfile:
        type: Localhost
        localhostProfile: k8s-deny
  - name: pod-level
    image: a:1
`)
	require.Empty(t, res.Problems)

	annotated := find(t, res, "annotated").Security.AppArmor
	require.Equal(t, runtime.Profile{Kind: runtime.ProfileLocalhost, Name: "deny-write"}, annotated.V)
	require.Equal(t, 6, annotated.Pos.Line)

	both := find(t, res, "both").Security.AppArmor
	require.Equal(t, runtime.Profile{Kind: runtime.ProfileLocalhost, Name: "k8s-deny"}, both.V,
		"the container field wins over the annotation")
	require.Equal(t, 19, both.Pos.Line)

	pod := find(t, res, "pod-level").Security.AppArmor
	require.Equal(t, runtime.ProfileDefault, pod.V.Kind)
	require.Equal(t, 11, pod.Pos.Line)
}

func TestSeccompSources(t *testing.T) {
	res := read(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
    container.seccomp.security.alpha.kubernetes.io/old: docker/default
spec:
  containers:
  - name: old
    image: a:1
  - name: field
    image: a:1
    securityContext:
      seccompProfile:
        type: RuntimeDefault
  - name: inherits
    image: a:1
`)
	old := find(t, res, "old")
	require.False(t, old.Security.Seccomp.Set, "kubelets since 1.27 ignore the annotation")
	require.Equal(t, "docker/default", old.Kubernetes.SeccompAnnotation.V)
	require.Equal(t, 7, old.Kubernetes.SeccompAnnotation.Pos.Line)

	field := find(t, res, "field")
	require.Equal(t, runtime.ProfileDefault, field.Security.Seccomp.V.Kind)
	require.Equal(t, 16, field.Security.Seccomp.Pos.Line)

	inherits := find(t, res, "inherits")
	require.False(t, inherits.Security.Seccomp.Set)
	require.Equal(t, "unconfined", inherits.Kubernetes.SeccompAnnotation.V)
	require.Equal(t, "seccomp.security.alpha.kubernetes.io/pod", inherits.Kubernetes.SeccompAnnotation.Raw)
	require.Equal(t, 6, inherits.Kubernetes.SeccompAnnotation.Pos.Line)
}

func TestContainerOverridesPod(t *testing.T) {
	res := read(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    runAsUser: 1000
    runAsNonRoot: true
  containers:
  - name: root
    image: a:1
    securityContext:
      runAsUser: 0
      runAsNonRoot: false
  - name: inherits
    image: a:1
`)
	root := find(t, res, "root")
	require.Equal(t, int64(0), root.Kubernetes.RunAsUser.V)
	require.Equal(t, 12, root.Kubernetes.RunAsUser.Pos.Line)
	require.Equal(t, "0", root.Security.User.V)
	require.True(t, runtime.Is(root.Kubernetes.RunAsNonRoot, false))

	inherits := find(t, res, "inherits")
	require.Equal(t, "1000", inherits.Security.User.V)
	require.Equal(t, 6, inherits.Security.User.Pos.Line)
}

func TestContainerLists(t *testing.T) {
	res := read(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: init
    image: a:1
  containers:
  - name: main
    image: a:1
  ephemeralContainers:
  - name: debug
    image: busybox:1.36
    securityContext:
      privileged: true
`)
	require.Len(t, res.Containers, 3)
	require.Equal(t, "initContainer", find(t, res, "init").Kubernetes.ContainerKind)
	require.Equal(t, "container", find(t, res, "main").Kubernetes.ContainerKind)
	debug := find(t, res, "debug")
	require.Equal(t, "ephemeralContainer", debug.Kubernetes.ContainerKind)
	require.True(t, runtime.Is(debug.Security.Privileged, true))
	require.Equal(t, 15, debug.Security.Privileged.Pos.Line)
	require.Equal(t, 12, debug.Pos.Line)
}

func TestPodOwnUTSWithoutHostNetwork(t *testing.T) {
	res := read(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n"+
		"  containers:\n  - name: app\n    image: app:1\n")
	c := find(t, res, "app")

	require.False(t, c.Namespace.UTS.Set)
}

func TestPodSettings(t *testing.T) {
	res := read(t, `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      hostNetwork: true
      hostPID: true
      hostIPC: true
      automountServiceAccountToken: true
      securityContext:
        sysctls:
        - name: kernel.msgmax
          value: "65536"
      volumes:
      - name: root
        hostPath: {path: /}
      - name: shm
        emptyDir: {medium: Memory}
      - name: data
        persistentVolumeClaim: {claimName: data}
      containers:
      - name: agent
        image: agent:2
        ports:
        - containerPort: 80
          hostPort: 80
        - containerPort: 9100
        resources:
          limits: {memory: 128Mi, cpu: 250m}
        securityContext:
          procMount: Unmasked
          allowPrivilegeEscalation: false
          capabilities:
            drop: [ALL]
            add: [NET_BIND_SERVICE]
        volumeMounts:
        - name: root
          mountPath: /host
          readOnly: true
          mountPropagation: HostToContainer
        - name: shm
          mountPath: /dev/shm
        - name: data
          mountPath: /data
        env:
        - name: TOKEN
          value: abc
        - name: FROM_SECRET
          valueFrom: {secretKeyRef: {name: s, key: k}}
`)
	require.Empty(t, res.Problems)
	c := find(t, res, "agent")

	require.Equal(t, "host", c.Namespace.Network.V)
	require.Equal(t, 7, c.Namespace.Network.Pos.Line)
	require.Equal(t, "host", c.Namespace.UTS.V, "hostNetwork also shares the node's UTS namespace")
	require.Equal(t, 7, c.Namespace.UTS.Pos.Line)
	require.Equal(t, "host", c.Namespace.PID.V)
	require.Equal(t, "host", c.Namespace.IPC.V)
	require.True(t, runtime.Is(c.Kubernetes.AutomountServiceAccountToken, true))

	require.Equal(t, []runtime.Sysctl{{Name: "kernel.msgmax", Value: "65536",
		Pos: runtime.Pos{Path: "m.yaml", Line: 13, Column: 11}}}, c.Sysctls)

	require.Len(t, c.Mounts, 2)
	require.Equal(t, runtime.MountHostPath, c.Mounts[0].Type)
	require.Equal(t, "/", c.Mounts[0].Source)
	require.True(t, c.Mounts[0].ReadOnly)
	require.Equal(t, "HostToContainer", c.Mounts[0].Propagation)
	require.Equal(t, 38, c.Mounts[0].Pos.Line)
	require.Equal(t, runtime.MountVolume, c.Mounts[1].Type)
	require.Len(t, c.Tmpfs, 1)
	require.Equal(t, "/dev/shm", c.Tmpfs[0].Target)
	require.False(t, c.Tmpfs[0].OptionsKnown)

	require.Len(t, c.Ports, 2)
	require.True(t, c.Ports[0].Published)
	require.Equal(t, "80", c.Ports[0].HostPort)
	require.False(t, c.Ports[1].Published)

	require.Equal(t, int64(128<<20), c.Resources.Memory.V)
	require.Equal(t, int64(250_000_000), c.Resources.NanoCPUs.V)

	require.Equal(t, "unconfined", c.Security.Systempaths.V)
	require.True(t, runtime.Is(c.Security.NoNewPrivileges, true))
	require.True(t, runtime.Is(c.Kubernetes.AllowPrivilegeEscalation, false))
	require.Equal(t, "ALL", c.Security.CapDrop[0].V)
	require.Equal(t, 35, c.Security.CapDrop[0].Pos.Line)

	require.Len(t, c.Env, 2)
	require.True(t, c.Env[0].Literal)
	require.False(t, c.Env[1].Literal)
}

func TestListAndMultiDocument(t *testing.T) {
	res := read(t, `apiVersion: v1
kind: Service
metadata: {name: s}
---
# Source: chart/templates/list.yaml
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a}
  spec:
    containers: [{name: one, image: "a:1"}]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: b}
  spec:
    template:
      spec:
        containers: [{name: two, image: "b:1"}]
---
`)
	require.Empty(t, res.Problems)
	require.Len(t, res.Containers, 2)
	require.Equal(t, "Pod/a", res.Containers[0].Workload)
	require.Equal(t, "Deployment/b", res.Containers[1].Workload)
	require.Equal(t, 20, res.Containers[1].Pos.Line)
}

func TestJSONFlowStyle(t *testing.T) {
	data, err := os.ReadFile("../../../../../shared/corpus/k8s/k8s-website-security-context-4-json-flow-style.yaml")
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	res := Reader{}.Read("flow.yaml", data)
	require.Empty(t, res.Problems)
	c := find(t, res, "sec-ctx-4")
	require.Len(t, c.Security.CapAdd, 2)
	require.Equal(t, "NET_ADMIN", c.Security.CapAdd[0].V)
	require.Equal(t, 15, c.Security.CapAdd[0].Pos.Line)
	require.Equal(t, "SYS_TIME", c.Security.CapAdd[1].V)
	require.Equal(t, 16, c.Security.CapAdd[1].Pos.Line)
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		containers int
		line       int
		reason     string
	}{
		{
			name:       "invalid YAML after a good document",
			src:        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: x}]\n---\nkind: Pod\n  bad: [\n",
			containers: 1,
			line:       8,
			reason:     "invalid YAML",
		},
		{
			name:   "wrong type",
			src:    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: \"yes\"\n",
			line:   1,
			reason: "invalid Pod",
		},
		{
			name:   "invalid quantity",
			src:    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    resources: {limits: {memory: 12 apples}}\n",
			line:   1,
			reason: "invalid Pod",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := read(t, tc.src)
			require.Len(t, res.Containers, tc.containers)
			require.Len(t, res.Problems, 1)
			require.Equal(t, tc.line, res.Problems[0].Line, res.Problems[0].Reason)
			require.Contains(t, res.Problems[0].Reason, tc.reason)
		})
	}
}

func TestUnrenderedHelmTemplate(t *testing.T) {
	data, err := os.ReadFile("../../../../../shared/corpus/k8s/flannel-helm-TEMPLATE-unrendered-daemonset.yaml")
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	res := Reader{}.Read("flannel.yaml", data)
	require.Empty(t, res.Containers)
	require.Len(t, res.Problems, 1)
	require.Equal(t, 30, res.Problems[0].Line, "the first {{- with }} line")
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"yaml", "apiVersion: v1\nkind: Pod\n", true},
		{"json", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\"\n}\n", true},
		{"compose", "services:\n  web:\n    image: x\n", false},
		{"kind only", "kind: Cluster\nnodes: []\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Detect([]byte(tc.data)))
		})
	}
}

func TestServiceAccountAutomount(t *testing.T) {
	res := read(t, `apiVersion: v1
kind: ServiceAccount
metadata:
  name: quiet
  namespace: apps
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata:
  name: inherits
  namespace: apps
spec:
  serviceAccountName: quiet
  containers: [{name: a, image: "a:1"}]
---
apiVersion: v1
kind: Pod
metadata:
  name: overrides
  namespace: apps
spec:
  serviceAccountName: quiet
  automountServiceAccountToken: true
  containers: [{name: b, image: "a:1"}]
---
apiVersion: v1
kind: Pod
metadata:
  name: other-namespace
spec:
  serviceAccountName: quiet
  containers: [{name: c, image: "a:1"}]
`)
	require.Empty(t, res.Problems)

	inherits := find(t, res, "a").Kubernetes.AutomountServiceAccountToken
	require.True(t, runtime.Is(inherits, false))
	require.Equal(t, 6, inherits.Pos.Line)

	overrides := find(t, res, "b").Kubernetes.AutomountServiceAccountToken
	require.True(t, runtime.Is(overrides, true))
	require.Equal(t, 24, overrides.Pos.Line)

	require.False(t, find(t, res, "c").Kubernetes.AutomountServiceAccountToken.Set)
}

// profileField decodes both profile fields with the seccomp type names,
// which works only while the AppArmor types are spelled the same.
func TestProfileTypesShareNames(t *testing.T) {
	require.Equal(t, string(corev1.SeccompProfileTypeRuntimeDefault), string(corev1.AppArmorProfileTypeRuntimeDefault))
	require.Equal(t, string(corev1.SeccompProfileTypeUnconfined), string(corev1.AppArmorProfileTypeUnconfined))
	require.Equal(t, string(corev1.SeccompProfileTypeLocalhost), string(corev1.AppArmorProfileTypeLocalhost))
}
