package runtime

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
)

// messagesOf returns the messages of one rule's findings.
func messagesOf(fs []finding.Finding, id string) []string {
	var out []string
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f.Message)
		}
	}
	return out
}

func TestPublishAllMessages(t *testing.T) {
	pos := rt.Pos{Path: "run.sh", Line: 1, Column: 12}
	tests := []struct {
		name  string
		src   rt.SourceKind
		ports []rt.Port
		ic    *rt.ImageConfig
		want  string // "" means RT026 stays silent
	}{
		{"image unknown", rt.SourceCLI, nil, nil,
			"-P (--publish-all) publishes every port the image EXPOSEs on all host interfaces, " +
				"each on a random host port"},
		{"expose flag and unknown image", rt.SourceCLI, []rt.Port{{ContainerPort: 9000, Protocol: "udp"}}, nil,
			"publishes 9000/udp and every port the image EXPOSEs"},
		{"image known", rt.SourceCLI, nil, &rt.ImageConfig{Ref: "Dockerfile", ExposedPorts: []string{"8080/tcp"}},
			"publishes 8080/tcp on all host interfaces"},
		{"base image may expose more", rt.SourceCLI, nil,
			&rt.ImageConfig{Ref: "Dockerfile", Base: "nginx:1.27", ExposedPorts: []string{"8080/tcp"}},
			"publishes 8080/tcp and every port its base image nginx:1.27 EXPOSEs"},
		{"image known to expose nothing", rt.SourceCLI, nil, &rt.ImageConfig{Ref: "app:1"}, ""},
		{"live container", rt.SourceLive, []rt.Port{{ContainerPort: 80, Protocol: "tcp"}}, &rt.ImageConfig{Ref: "app:1"},
			"HostConfig.PublishAllPorts (-P) publishes 80/tcp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &rt.Container{Source: tt.src, Pos: pos, Ports: tt.ports, ImageConfig: tt.ic,
				PublishAll: rt.Of(true, "", pos)}

			got := Audit([]*rt.Container{c}, nil)

			msgs := messagesOf(got, "RT026")
			require.False(t, hasRule(got, "RT027"), "random host ports are 1024 or above")
			if tt.want == "" {
				require.Empty(t, msgs)
				return
			}
			require.Len(t, msgs, 1)
			require.Contains(t, msgs[0], tt.want)
		})
	}
}

func TestPublishAllUnknown(t *testing.T) {
	got := auditScript(t, "docker run --publish-all=$P img:1")

	msgs := messagesOf(got, "RT026")
	require.Len(t, msgs, 1)
	require.Contains(t, msgs[0], "may publish every exposed port")
}

func TestHostDeviceAccessMessages(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   string
	}{
		{"every gpu", "docker run --gpus all img:1", "--gpus gives the container every host GPU"},
		{"gpus by id", `docker run --gpus '"device=0,1"' img:1`, "--gpus gives the container host GPUs 0,1"},
		{"gpu count", "docker run --gpus 2 img:1", "--gpus gives the container 2 host GPUs"},
		{"wildcard character devices", "docker run --device-cgroup-rule 'c *:* rwm' img:1",
			`"c *:* rwm" allows read, write, mknod on every host character device, and the container ` +
				"can create the device nodes because it keeps CAP_MKNOD"},
		{"every device", "docker run --device-cgroup-rule 'a *:* rwm' img:1", "on every host device"},
		{"one device", "docker run --cap-drop ALL --device-cgroup-rule 'c 10:200 rw' img:1",
			`"c 10:200 rw" allows read, write on host character device 10:200`},
		{"unknown rule", `docker run --device-cgroup-rule "$RULE" img:1`, "may allow any host device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := messagesOf(auditScript(t, tt.script), "RT025")

			require.Len(t, msgs, 1)
			require.Contains(t, msgs[0], tt.want)
		})
	}
}

func TestCgroupRuleWithoutMknod(t *testing.T) {
	msgs := messagesOf(auditScript(t, "docker run --cap-drop MKNOD --device-cgroup-rule 'b *:* rwm' img:1"), "RT025")

	require.Len(t, msgs, 1)
	require.NotContains(t, msgs[0], "CAP_MKNOD")
}

func TestHostUTSFromHostNetwork(t *testing.T) {
	pos := rt.Pos{Path: "pod.yml", Line: 6}
	kube := &rt.Container{Source: rt.SourceKubernetes, Name: "app", Workload: "Pod/web", Pos: pos,
		Namespace: rt.Namespaces{Network: rt.Of("host", "hostNetwork: true", pos),
			UTS: rt.Of("host", "hostNetwork: true", pos)}}
	compose := &rt.Container{Source: rt.SourceCompose, Name: "app", Pos: pos,
		Namespace: rt.Namespaces{Network: rt.Of("host", "host", pos)}}

	msgs := messagesOf(Audit([]*rt.Container{kube}, nil), "RT020")
	require.Len(t, msgs, 1)
	require.Contains(t, msgs[0], "because hostNetwork: true")

	require.Empty(t, messagesOf(Audit([]*rt.Container{compose}, nil), "RT020"))
}

// TestEnvFileSecretPointsAtFile audits a script that names env files in
// a real directory, so the secret rule points at the env file's line and
// files that cannot be read become problems.
func TestEnvFileSecretPointsAtFile(t *testing.T) {
	dir := t.TempDir()
	const secret = "Zq8vN3xL0pR7sT2wY5kB9mC4"
	script := "docker run --env-file app.env --env-file ../outside.env --env-file gone.env " +
		"-e STRIPE_API_KEY=changeme img:1\n"
	files := map[string]string{
		"deploy/run.sh":  script,
		"deploy/app.env": "# settings\nLOG_LEVEL=info\nSTRIPE_API_KEY=" + secret + "\n" + "DB_PASSWORD=" + secret + "\n",
	}
	for name, text := range files {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	root, err := os.OpenRoot(filepath.Join(dir, "deploy"))
	require.NoError(t, err)
	defer root.Close()
	f := &engine.File{Path: "proj/run.sh", Rel: "run.sh", Data: []byte(script)}

	res := ShellAnalyzer.Analyze(context.Background(), f, &engine.Env{Root: root})

	var secrets []finding.Finding
	for _, fd := range res.Findings {
		if fd.RuleID == "RT031" {
			secrets = append(secrets, fd)
		}
	}
	require.Len(t, secrets, 1, "-e overrides the file's STRIPE_API_KEY with a placeholder")
	require.Equal(t, "proj/app.env", secrets[0].Location.Path)
	require.Equal(t, 4, secrets[0].Location.StartLine)
	require.NotContains(t, secrets[0].Message, secret)
	require.Contains(t, secrets[0].Message, "docker run at proj/run.sh:1:1 reads it through --env-file")

	var reasons []string
	for _, p := range res.Problems {
		reasons = append(reasons, p.Reason)
	}
	require.Len(t, reasons, 2)
	require.Contains(t, reasons[0], "env file ../outside.env is outside the scanned tree")
	require.Contains(t, reasons[1], "env file gone.env does not exist")
}

func TestSecretInDefinitionNamesNoEnvFile(t *testing.T) {
	got := auditScript(t, "docker run -e DB_PASSWORD=Zq8vN3xL0pR7sT2wY5kB9mC4 img:1")

	for _, f := range got {
		if f.RuleID == "RT031" {
			require.NotContains(t, f.Message, "reads it through")
			return
		}
	}
	t.Fatal("RT031 did not fire")
}
