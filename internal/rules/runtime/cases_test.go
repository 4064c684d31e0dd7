package runtime

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
)

// TestRuleCases checks rules on command lines beyond their doc examples:
// each case names rules that must fire and rules that must not.
func TestRuleCases(t *testing.T) {
	tests := []struct {
		name   string
		script string
		fire   []string
		silent []string
	}{
		{"root by uid", "docker run -u 0:0 img:1", []string{"RT001"}, nil},
		{"non-root by name", "docker run -u app img:1", nil, []string{"RT001"}},
		{"unresolved flags hide missing ones", "docker run $DOCKER_OPTS img:1", nil,
			[]string{"RT001", "RT003", "RT006", "RT007", "RT013", "RT015", "RT016", "RT029", "RT039"}},
		{"cap drop lower case with prefix", "docker run --cap-drop cap_all img:1", nil, []string{"RT003"}},
		{"dangerous cap with prefix", "docker run --cap-add CAP_SYS_MODULE img:1", []string{"RT004"}, nil},
		{"bind cap without ports", "docker run --cap-add NET_BIND_SERVICE img:1", nil, []string{"RT005"}},
		{"bind cap with unknown port", "docker run --cap-add NET_BIND_SERVICE -p $P img:1", nil, []string{"RT005"}},
		{"no-new-privileges false", "docker run --security-opt no-new-privileges=false img:1", []string{"RT006"}, nil},
		{"read-only false", "docker run --read-only=false img:1", []string{"RT007"}, nil},
		{"tmpfs defaults are safe", "docker run --tmpfs /tmp --mount type=tmpfs,dst=/x img:1", nil, []string{"RT008"}},
		{"tmpfs suid", "docker run --tmpfs /tmp:suid img:1", []string{"RT008"}, nil},
		{"tmpfs exec then noexec", "docker run --tmpfs /tmp:exec,noexec img:1", nil, []string{"RT008"}},
		{"seccomp file exists", "docker run --security-opt seccomp=profile.json img:1", nil, []string{"RT010"}},
		{"seccomp file invalid", "docker run --security-opt seccomp=broken.json img:1", []string{"RT010"}, nil},
		{"colon no-new-privileges is common", "docker run --security-opt no-new-privileges:true img:1", nil,
			[]string{"RT012", "RT006"}},
		{"zero memory", "docker run -m 0 img:1", []string{"RT013"}, nil},
		{"swap unset", "docker run -m 64m img:1", []string{"RT014"}, nil},
		{"swap unlimited", "docker run -m 64m --memory-swap -1 img:1", []string{"RT014"}, nil},
		{"swap without memory", "docker run --memory-swap 1g img:1", nil, []string{"RT014"}},
		{"cpu quota is a limit", "docker run --cpu-quota 50000 img:1", nil, []string{"RT015"}},
		{"cpuset is a limit", "docker run --cpuset-cpus 0 img:1", nil, []string{"RT015"}},
		{"pids unlimited", "docker run --pids-limit -1 img:1", []string{"RT016"}, nil},
		{"container network namespace", "docker run --network container:db img:1", nil, []string{"RT017", "RT039"}},
		{"read-only sensitive mount", "docker run -v /etc/ssl:/ssl:ro img:1", []string{"RT023"}, nil},
		{"localtime read-only is fine", "docker run -v /etc/localtime:/etc/localtime:ro img:1", nil, []string{"RT023"}},
		{"localtime writable", "docker run -v /etc/localtime:/etc/localtime img:1", []string{"RT023"}, nil},
		{"file under run is fine", "docker run -v /run/app/app.sock:/app.sock img:1", nil, []string{"RT022", "RT023"}},
		{"project path is fine", "docker run -v ./data:/data img:1", nil, []string{"RT023"}},
		{"named volume is fine", "docker run -v etc:/etc img:1", nil, []string{"RT023"}},
		{"podman socket", "docker run -v /run/podman/podman.sock:/s img:1", []string{"RT022"}, nil},
		{"private propagation", "docker run -v /mnt:/mnt:rprivate img:1", nil, []string{"RT024"}},
		{"volume shared propagation", "docker run -v /mnt:/mnt:shared img:1", []string{"RT024"}, nil},
		{"ipv6 any address", "docker run -p [::]:8080:80 img:1", []string{"RT026"}, nil},
		{"random host port", "docker run -p 80 img:1", []string{"RT026"}, []string{"RT027"}},
		{"low port range", "docker run -p 127.0.0.1:80-81:80-81 img:1", []string{"RT027"}, nil},
		{"exposed port is not published", "docker run --expose 80 img:1", nil, []string{"RT026", "RT027"}},
		{"publish all uses random high ports", "docker run -P --expose 80 img:1", []string{"RT026"}, []string{"RT027"}},
		{"publish all false", "docker run --publish-all=false img:1", nil, []string{"RT026"}},
		{"host network keeps its own UTS namespace", "docker run --network host img:1",
			[]string{"RT017"}, []string{"RT020"}},
		{"gpus", "docker run --gpus all img:1", []string{"RT025"}, nil},
		{"device cgroup rule", "docker run --device-cgroup-rule 'c 10:200 rw' img:1", []string{"RT025"}, nil},
		{"volumes from is not judged as a mount", "docker run --volumes-from data img:1", nil,
			[]string{"RT022", "RT023", "RT025"}},
		{"on-failure unlimited", "docker run --restart on-failure img:1", []string{"RT028"}, nil},
		{"on-failure ten", "docker run --restart on-failure:10 img:1", []string{"RT028"}, nil},
		{"restart no", "docker run --restart no img:1", nil, []string{"RT028"}},
		{"wget health check", "docker run --health-cmd 'wget -qO- localhost || exit 1' img:1", []string{"RT030"}, nil},
		{"health check word curly", "docker run --health-cmd '/bin/curly' img:1", nil, []string{"RT030"}},
		{"secret placeholder", "docker run -e DB_PASSWORD=changeme img:1", nil, []string{"RT031"}},
		{"secret by name", "docker run -e MYSQL_ROOT_PASSWORD=Xk29fLq8Zp0vTr4w img:1", []string{"RT031"}, nil},
		{"finite ulimit", "docker run --ulimit nofile=1024:1024 img:1", nil, []string{"RT032"}},
		{"selinux level is fine", "docker run --security-opt label=level:s0 img:1", nil, []string{"RT033"}},
		{"selinux spc_t", "docker run --security-opt label=type:spc_t img:1", []string{"RT033"}, nil},
		{"untagged image", "docker run nginx", []string{"RT035"}, nil},
		{"digest image", "docker run nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			nil, []string{"RT035"}},
		{"registry port is not a tag", "docker run registry:5000/app", []string{"RT035"}, nil},
		{"net sysctl on host network", "docker run --network host --sysctl net.ipv4.ip_forward=1 img:1",
			[]string{"RT037"}, nil},
		{"net sysctl on own network", "docker run --network app --sysctl net.ipv4.ip_forward=1 img:1",
			nil, []string{"RT037"}},
		{"bridge named", "docker run --network bridge img:1", []string{"RT039"}, nil},
		{"exec as user", "docker exec -u app web sh", nil, []string{"RT040", "RT001", "RT003"}},
		{"exec uid 0", "docker exec --user 0 web sh", []string{"RT040"}, nil},
		{"cgroup parent", "docker run --cgroup-parent /custom img:1", []string{"RT041"}, nil},
		{"podman has a default pids limit", "podman run img:1", nil, []string{"RT016", "RT039"}},
		{"podman unlimited pids", "podman run --pids-limit -1 img:1", []string{"RT016"}, nil},
		{"service create has no security-opt", "docker service create --name s img:1", nil, []string{"RT006", "RT039"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auditScript(t, tt.script)
			for _, id := range tt.fire {
				require.True(t, hasRule(got, id), "%s did not fire; got %v", id, ruleIDs(got))
			}
			for _, id := range tt.silent {
				require.False(t, hasRule(got, id), "%s fired", id)
			}
		})
	}
}

// TestUnresolvedValues checks that a setting written through a variable
// is reported as unknown, below the rule's severity, naming the variable.
func TestUnresolvedValues(t *testing.T) {
	tests := []struct {
		name   string
		script string
		rule   string
		want   finding.Severity
		text   []string
	}{
		{"user variable", `docker run -u "$APP_UID" img:1`, "RT001", finding.Low,
			[]string{"$APP_UID, which cannot be resolved here", "may run as root"}},
		{"user command substitution", `docker run --user "$(id -u)" img:1`, "RT001", finding.Low,
			[]string{"$(id -u), which is known only when the command runs"}},
		{"privileged variable", "docker run --privileged=$P img:1", "RT002", finding.Low,
			[]string{"$P", "may be privileged"}},
		{"no-new-privileges variable", "docker run --security-opt no-new-privileges=$N img:1",
			"RT006", finding.Low, []string{"$N"}},
		{"read-only variable", "docker run --read-only=$RO img:1", "RT007", finding.Low,
			[]string{"$RO", "may be writable"}},
		{"memory variable", `docker run --memory "$MEM" img:1`, "RT013", finding.Low,
			[]string{"$MEM", "may be missing or 0"}},
		{"cpus variable", "docker run --cpus $CPUS img:1", "RT015", finding.Info, []string{"$CPUS"}},
		{"pids variable", "docker run --pids-limit $PIDS img:1", "RT016", finding.Low, []string{"$PIDS"}},
		{"network variable", `docker run --network "$NET" img:1`, "RT017", finding.Low,
			[]string{"network namespace mode comes from $NET", "may be host"}},
		{"pid variable", "docker run --pid $PIDNS img:1", "RT018", finding.Low, []string{"$PIDNS"}},
		{"userns variable", "docker run --userns $U img:1", "RT021", finding.Low, []string{"$U"}},
		{"cap-add variable", `docker run --cap-add "$CAP" img:1`, "RT004", finding.Low,
			[]string{"$CAP", "may be a dangerous one"}},
		{"cap-drop variable", "docker run --cap-drop $DROP img:1", "RT003", finding.Low,
			[]string{"$DROP", "not every capability may be dropped"}},
		{"seccomp variable", "docker run --security-opt seccomp=$SP img:1", "RT009", finding.Low,
			[]string{"seccomp=$SP", "may be disabled"}},
		{"apparmor variable", "docker run --security-opt apparmor=$AA img:1", "RT011", finding.Low,
			[]string{"apparmor=$AA", "may be disabled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auditScript(t, tt.script)

			var fs []finding.Finding
			for _, f := range got {
				if f.RuleID == tt.rule {
					fs = append(fs, f)
				}
			}
			require.Len(t, fs, 1, "%s findings; got %v", tt.rule, ruleIDs(got))
			require.Equal(t, tt.want, fs[0].Severity)
			for _, text := range tt.text {
				require.Contains(t, fs[0].Message, text)
			}
		})
	}
}

func TestEmptyUserIsNoUser(t *testing.T) {
	c := &rt.Container{Source: rt.SourceCompose, Name: "b",
		Pos:   rt.Pos{Path: "compose.yaml", Line: 2},
		Image: rt.Of("app:1", "app:1", rt.Pos{Path: "compose.yaml", Line: 3})}
	c.Security.User = rt.Of("", "${RUN_AS}", rt.Pos{Path: "compose.yaml", Line: 4})
	got := Audit([]*rt.Container{c}, nil)

	var fs []finding.Finding
	for _, f := range got {
		if f.RuleID == "RT001" {
			fs = append(fs, f)
		}
	}
	require.Len(t, fs, 1)
	require.Equal(t, finding.High, fs[0].Severity)
	require.Equal(t, 4, fs[0].Location.StartLine)
	require.Contains(t, fs[0].Message, "user: ${RUN_AS} is empty because its variable is not set")
	require.Contains(t, fs[0].Message, "runs as root unless the image sets USER")
}

// TestEngineAddedLabel checks that RT033 leaves the label=disable that the
// engine adds by itself to the rules for its cause.
func TestEngineAddedLabel(t *testing.T) {
	disable := rt.SecurityOpt{Key: "label", Value: "disable", Separator: '=', Raw: "label=disable"}
	seccomp := rt.SecurityOpt{Key: "seccomp", Value: "unconfined", Separator: '=', Raw: "seccomp=unconfined"}
	tests := []struct {
		name   string
		source rt.SourceKind
		opts   []rt.SecurityOpt
		set    func(c *rt.Container)
		fire   bool
	}{
		{"privileged live", rt.SourceLive, []rt.SecurityOpt{disable},
			func(c *rt.Container) { c.Security.Privileged = rt.Of(true, "", rt.Pos{}) }, false},
		{"host pid inspect", rt.SourceInspect, []rt.SecurityOpt{disable},
			func(c *rt.Container) { c.Namespace.PID = rt.Of("host", "", rt.Pos{}) }, false},
		{"host ipc live", rt.SourceLive, []rt.SecurityOpt{disable},
			func(c *rt.Container) { c.Namespace.IPC = rt.Of("host", "", rt.Pos{}) }, false},
		{"chosen without a cause", rt.SourceLive, []rt.SecurityOpt{disable},
			func(c *rt.Container) {}, true},
		{"chosen beside other options", rt.SourceLive, []rt.SecurityOpt{disable, seccomp},
			func(c *rt.Container) { c.Security.Privileged = rt.Of(true, "", rt.Pos{}) }, true},
		{"command line", rt.SourceCLI, []rt.SecurityOpt{disable},
			func(c *rt.Container) { c.Security.Privileged = rt.Of(true, "", rt.Pos{}) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &rt.Container{Source: tt.source, Pos: rt.Pos{Path: "web"}}
			for _, o := range tt.opts {
				c.Security.AddSecurityOpt(o)
			}
			tt.set(c)

			got := Audit([]*rt.Container{c}, nil)
			require.Equal(t, tt.fire, hasRule(got, "RT033"), "got %v", ruleIDs(got))
		})
	}
}

func TestHostCgroupLiveNamesDefault(t *testing.T) {
	live := &rt.Container{Source: rt.SourceLive, Pos: rt.Pos{Path: "web"}}
	live.Namespace.Cgroup = rt.Of("host", "", rt.Pos{Path: "web"})
	cli := auditScript(t, "docker run --cgroupns host img:1")

	msg := ""
	for _, f := range Audit([]*rt.Container{live}, nil) {
		if f.RuleID == "RT041" {
			msg = f.Message
		}
	}
	require.Contains(t, msg, "default on cgroup v1 hosts")
	require.Contains(t, msg, "--cgroupns private")
	require.Contains(t, msg, "cgroup: private")
	require.True(t, hasRule(cli, "RT041"))
	for _, f := range cli {
		if f.RuleID == "RT041" {
			require.NotContains(t, f.Message, "default", "a command line chose host itself")
		}
	}
}

func TestUnresolvedValuesStaySilentElsewhere(t *testing.T) {
	got := auditScript(t, `docker run --network "$NET" --security-opt label=$L -v "$DIR":/data -p $P:80 img:1`)

	for _, id := range []string{"RT039", "RT033", "RT022", "RT023", "RT026", "RT027", "RT009", "RT011"} {
		require.False(t, hasRule(got, id), "%s fired on an unrelated unknown value", id)
	}
}

func TestUnresolvedMakeReference(t *testing.T) {
	f := &engine.File{Path: "Makefile", Rel: "Makefile",
		Data: []byte("run:\n\tdocker run -u $(shell id -u) --rm img:1\n")}
	res := MakefileAnalyzer.Analyze(context.Background(), f, nil)

	var msg string
	for _, f := range res.Findings {
		if f.RuleID == "RT001" {
			msg = f.Message
			require.Equal(t, finding.Low, f.Severity)
		}
	}
	require.Contains(t, msg, "make reference, which is known only when make runs")
}

func TestUnresolvedFlagsNote(t *testing.T) {
	script := rt.Script{Text: "docker run $DOCKER_OPTS $MORE_OPTS img:1", Line: 1}
	cs := rt.ParseScripts("run.sh", []rt.Script{script}).Containers
	require.Len(t, cs, 1)
	require.Len(t, cs[0].Notes, 1, "one note for all unresolved words")
	require.Contains(t, cs[0].Notes[0].Message, "$DOCKER_OPTS cannot be resolved and may hold any flag")
}

func TestSensitiveMountSeverity(t *testing.T) {
	got := auditScript(t, "docker run -v /etc:/e:ro -v /root:/r img:1")

	var sev []finding.Severity
	for _, f := range got {
		if f.RuleID == "RT023" {
			sev = append(sev, f.Severity)
		}
	}
	require.Equal(t, []finding.Severity{finding.Medium, finding.High}, sev)
}

func TestSecretMessageIsRedacted(t *testing.T) {
	const value = "Zq8vN3xL0pR7sT2wY5kB9mC4"
	got := auditScript(t, "docker run -e API_TOKEN="+value+" img:1")

	require.True(t, hasRule(got, "RT031"))
	for _, f := range got {
		require.NotContains(t, f.Message, value)
		require.NotContains(t, f.Message, value[:6])
	}
}

func TestFindingPointsAtFlag(t *testing.T) {
	got := auditScript(t, "#!/bin/sh\ndocker run \\\n  --privileged \\\n  img:1\n")

	for _, f := range got {
		if f.RuleID == "RT002" {
			require.Equal(t, 3, f.Location.StartLine)
			require.Equal(t, 3, f.Location.StartColumn)
			require.Equal(t, 2, f.AnchorLine, "suppressions above the command apply")
			return
		}
	}
	t.Fatal("RT002 did not fire")
}

func TestBrokenContinuationMessage(t *testing.T) {
	got := auditScript(t, "docker run --rm \\  \n  --read-only \\\n  --cap-drop ALL \\\n  img:1\n")

	var msg string
	for _, f := range got {
		if f.RuleID == "RT036" {
			msg = f.Message
			require.Equal(t, 1, f.Location.StartLine)
		}
	}
	require.Contains(t, msg, "--read-only --cap-drop ALL img:1")
	require.Contains(t, msg, "lines 2-4")
	require.True(t, hasRule(got, "RT007"), "the command runs without the lost --read-only")
}

// TestImageKnownMessages checks the user and health check rules with and
// without the image's own configuration.
func TestImageKnownMessages(t *testing.T) {
	base := func(ic *rt.ImageConfig) *rt.Container {
		return &rt.Container{Source: rt.SourceCompose, Name: "web", Pos: rt.Pos{Path: "c.yml", Line: 3},
			Image: rt.Of("app:1", "app:1", rt.Pos{Path: "c.yml", Line: 4}), ImageConfig: ic}
	}
	user := func(u string) rt.Value[string] { return rt.Of(u, u, rt.Pos{Path: "Dockerfile", Line: 9}) }
	health := rt.Of(rt.Healthcheck{Test: []string{"CMD-SHELL", "curl -f localhost"}}, "", rt.Pos{Path: "Dockerfile", Line: 10})

	tests := []struct {
		name     string
		ic       *rt.ImageConfig
		want     map[string]string // rule ID to message fragment; "" means silent
		wantLine map[string]int
	}{
		{"image unknown", nil, map[string]string{"RT001": "unless the image sets USER",
			"RT029": "may define a HEALTHCHECK", "RT030": ""}, nil},
		{"image sets non-root user and curl health check", &rt.ImageConfig{Ref: "Dockerfile", User: user("app"),
			Healthcheck: health}, map[string]string{"RT001": "", "RT029": "", "RT030": "runs curl"},
			map[string]int{"RT030": 4}},
		{"image sets root", &rt.ImageConfig{Ref: "Dockerfile", User: user("root")},
			map[string]string{"RT001": "sets USER root", "RT029": "defines no HEALTHCHECK"}, nil},
		{"unknown user from the base", &rt.ImageConfig{Ref: "Dockerfile",
			User: rt.UnknownAt[string]("", rt.Pos{Line: 1}), Healthcheck: rt.UnknownAt[rt.Healthcheck]("", rt.Pos{Line: 1})},
			map[string]string{"RT001": "unless its base image sets one", "RT029": "defines no HEALTHCHECK, but its base image may define one"}, nil},
		{"base image may set them", &rt.ImageConfig{Ref: "Dockerfile", Base: "nginx:1.27"},
			map[string]string{"RT001": "unless its base image nginx:1.27 sets one", "RT029": "its base image nginx:1.27 may define one"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Audit([]*rt.Container{base(tt.ic)}, nil)
			for id, frag := range tt.want {
				var msgs []string
				for _, f := range got {
					if f.RuleID == id {
						msgs = append(msgs, f.Message)
						if line, ok := tt.wantLine[id]; ok {
							require.Equal(t, line, f.Location.StartLine)
						}
					}
				}
				if frag == "" {
					require.Empty(t, msgs, id)
					continue
				}
				require.Len(t, msgs, 1, id)
				require.Contains(t, msgs[0], frag)
				require.True(t, strings.HasPrefix(msgs[0], "service web: "), msgs[0])
			}
		})
	}
}

func TestKubernetesOnlyRules(t *testing.T) {
	pod := func(k rt.KubernetesSettings) *rt.Container {
		return &rt.Container{Source: rt.SourceKubernetes, Name: "app", Workload: "Pod/web",
			Pos: rt.Pos{Path: "pod.yml", Line: 7}, Image: rt.Of("app:1", "app:1", rt.Pos{Path: "pod.yml", Line: 8}),
			Kubernetes: &k}
	}
	yes := rt.Of(true, "true", rt.Pos{Path: "pod.yml", Line: 5})
	no := rt.Of(false, "false", rt.Pos{Path: "pod.yml", Line: 5})

	tests := []struct {
		name   string
		k      rt.KubernetesSettings
		fire   []string
		silent []string
	}{
		{"defaults", rt.KubernetesSettings{}, []string{"RT001", "RT038"}, []string{"RT016", "RT014", "RT028", "RT039"}},
		{"run as non-root", rt.KubernetesSettings{RunAsNonRoot: yes, AutomountServiceAccountToken: no},
			nil, []string{"RT001", "RT038"}},
		{"run as user 1000", rt.KubernetesSettings{RunAsUser: rt.Of(int64(1000), "1000", rt.Pos{Line: 6})},
			nil, []string{"RT001"}},
		{"run as user 0 despite non-root", rt.KubernetesSettings{RunAsNonRoot: yes,
			RunAsUser: rt.Of(int64(0), "0", rt.Pos{Line: 6})}, []string{"RT001"}, nil},
		{"token explicitly mounted", rt.KubernetesSettings{AutomountServiceAccountToken: yes}, []string{"RT038"}, nil},
		{"app container needs probes", rt.KubernetesSettings{ContainerKind: "container"},
			[]string{"RT029", "RT013", "RT015"}, nil},
		{"init container has no probes", rt.KubernetesSettings{ContainerKind: "initContainer"},
			[]string{"RT013", "RT015"}, []string{"RT029"}},
		{"ephemeral container has no probes or resources",
			rt.KubernetesSettings{ContainerKind: "ephemeralContainer"}, nil,
			[]string{"RT029", "RT013", "RT015"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Audit([]*rt.Container{pod(tt.k)}, nil)
			for _, id := range tt.fire {
				require.True(t, hasRule(got, id), "%s did not fire; got %v", id, ruleIDs(got))
			}
			for _, id := range tt.silent {
				require.False(t, hasRule(got, id), "%s fired", id)
			}
		})
	}
}

func TestFileContextStaysInProject(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "deploy"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "deploy", "seccomp.json"), []byte("{}"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "root.json"), []byte("{}"), 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	ctx := fileContext(&engine.File{Path: "deploy/run.sh", Rel: "deploy/run.sh"}, &engine.Env{Root: root})

	tests := []struct {
		name    string
		path    string
		wantErr error
	}{
		{"beside the script", "seccomp.json", nil},
		{"dot slash", "./seccomp.json", nil},
		{"relative to the project root", "root.json", nil},
		{"missing", "nope.json", fs.ErrNotExist},
		{"absolute", "/etc/passwd", ErrOutsideProject},
		{"home", "~/x.json", ErrOutsideProject},
		{"leaves the project", "../../etc/passwd", ErrOutsideProject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ctx.ReadFile(tt.path)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestBrokenContinuationByComment(t *testing.T) {
	got := auditScript(t, "docker run --rm \\\n  # --privileged \\\n  --read-only img:1\n")

	require.True(t, hasRule(got, "RT036"))
	require.False(t, hasRule(got, "RT002"), "the commented-out flag is not applied")
	for _, f := range got {
		if f.RuleID == "RT036" {
			require.Equal(t, 2, f.Location.StartLine)
			require.Contains(t, f.Message, "line 2 has a comment")
			require.Contains(t, f.Message, "--read-only img:1")
		}
	}
}

func TestBrokenContinuationByCommentLine(t *testing.T) {
	got := auditScript(t, "docker run -d --user 1000 \\\n  # set the token\n  --read-only \\\n  img:1\n")

	require.True(t, hasRule(got, "RT036"), "got %v", ruleIDs(got))
	for _, f := range got {
		if f.RuleID == "RT036" {
			require.Equal(t, 2, f.Location.StartLine)
			require.Contains(t, f.Message, "--read-only img:1")
		}
	}
}

func TestCIAnalyzerJobContainers(t *testing.T) {
	src := "on: push\njobs:\n  t:\n    runs-on: x\n    container:\n      image: node:22\n" +
		"      options: --privileged\n    steps:\n      - run: make\n"
	f := &engine.File{Path: ".github/workflows/ci.yml", Rel: ".github/workflows/ci.yml", Data: []byte(src)}

	require.True(t, CIAnalyzer.Wants(f))
	res := CIAnalyzer.Analyze(context.Background(), f, &engine.Env{})

	require.Equal(t, []string{"RT002"}, ruleIDs(res.Findings), "rules about missing flags stay silent")
	require.Equal(t, 7, res.Findings[0].Location.StartLine)
}

func TestKubernetesSeccompNotSet(t *testing.T) {
	at := rt.Pos{Path: "pod.yml", Line: 12}
	tests := []struct {
		name     string
		source   rt.SourceKind
		seccomp  rt.Value[rt.Profile]
		wantMsg  string
		wantLine int
	}{
		{"kubernetes without profile", rt.SourceKubernetes, rt.Value[rt.Profile]{},
			"no seccompProfile is set at pod or container level, so the kubelet runs the container " +
				"Unconfined unless its seccompDefault option is enabled", 7},
		{"kubernetes unconfined", rt.SourceKubernetes,
			rt.Of(rt.Profile{Kind: rt.ProfileUnconfined}, "Unconfined", at), "seccomp is disabled (Unconfined)", 12},
		{"kubernetes runtime default", rt.SourceKubernetes,
			rt.Of(rt.Profile{Kind: rt.ProfileDefault}, "RuntimeDefault", at), "", 0},
		{"kubernetes localhost", rt.SourceKubernetes,
			rt.Of(rt.Profile{Kind: rt.ProfileLocalhost, Name: "p.json"}, "Localhost", at), "", 0},
		{"kubernetes unresolved", rt.SourceKubernetes, rt.UnknownAt[rt.Profile]("{{ .Values.t }}", at), "", 0},
		{"compose without profile uses the engine default", rt.SourceCompose, rt.Value[rt.Profile]{}, "", 0},
		{"command line without profile", rt.SourceCLI, rt.Value[rt.Profile]{}, "", 0},
		{"only the ignored annotation", rt.SourceKubernetes, rt.Value[rt.Profile]{},
			"only the annotation seccomp.security.alpha.kubernetes.io/pod: runtime/default sets a " +
				"seccomp profile, and kubelets since Kubernetes 1.27 ignore it", 4},
		{"annotation beside the field", rt.SourceKubernetes,
			rt.Of(rt.Profile{Kind: rt.ProfileDefault}, "RuntimeDefault", at), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &rt.Container{Source: tt.source, Name: "app", Workload: "Pod/web",
				Pos: rt.Pos{Path: "pod.yml", Line: 7}, Image: rt.Of("app:1", "app:1", rt.Pos{Path: "pod.yml", Line: 8}),
				Kubernetes: &rt.KubernetesSettings{}}
			c.Security.Seccomp = tt.seccomp
			if strings.Contains(tt.name, "annotation") {
				c.Kubernetes.SeccompAnnotation = rt.Of("runtime/default",
					"seccomp.security.alpha.kubernetes.io/pod", rt.Pos{Path: "pod.yml", Line: 4})
			}

			var got []finding.Finding
			for _, f := range Audit([]*rt.Container{c}, nil) {
				if f.RuleID == "RT009" {
					got = append(got, f)
				}
			}
			if tt.wantMsg == "" {
				require.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			require.Contains(t, got[0].Message, tt.wantMsg)
			require.Equal(t, finding.High, got[0].Severity)
			require.Equal(t, tt.wantLine, got[0].Location.StartLine)
		})
	}
}

func TestDangerousCapabilityReasons(t *testing.T) {
	tests := []struct {
		name    string
		capAdd  string
		wantMsg string // "" means RT004 stays silent
	}{
		{"audit control", "AUDIT_CONTROL", "capability AUDIT_CONTROL is added and lets the container change or disable the kernel audit rules"},
		{"syslog lower case", "syslog", "capability SYSLOG is added and lets the container read and clear the kernel log"},
		{"sys boot with prefix", "CAP_SYS_BOOT", "capability SYS_BOOT is added and lets the container call reboot and kexec_load"},
		{"sys time mixed case", "cap_Sys_Time", "set the system clock, which the host shares"},
		{"sys resource", "SYS_RESOURCE", "override resource limits"},
		{"mac admin", "MAC_ADMIN", "change the AppArmor or SELinux policy"},
		{"mac override", "MAC_OVERRIDE", "override mandatory access control"},
		{"net broadcast", "NET_BROADCAST", "send socket broadcasts"},
		{"linux immutable", "LINUX_IMMUTABLE", "immutable and append-only attributes"},
		{"ipc lock", "IPC_LOCK", "lock memory beyond its limit"},
		{"sys nice", "SYS_NICE", "real-time scheduling"},
		{"wake alarm", "WAKE_ALARM", "wake the host from suspend"},
		{"block suspend", "BLOCK_SUSPEND", "keep the host from suspending"},
		{"checkpoint restore", "CHECKPOINT_RESTORE", "choose the PIDs of new processes"},
		{"sys admin", "sys_admin", "mount file systems"},
		{"default chown", "CHOWN", ""},
		{"default net raw", "CAP_NET_RAW", ""},
		{"default kill", "kill", ""},
		{"audit write is default", "AUDIT_WRITE", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auditScript(t, "docker run --cap-drop ALL --cap-add "+tt.capAdd+" img:1")

			var msgs []string
			for _, f := range got {
				if f.RuleID == "RT004" {
					msgs = append(msgs, f.Message)
					require.Equal(t, finding.High, f.Severity)
				}
			}
			if tt.wantMsg == "" {
				require.Empty(t, msgs)
				return
			}
			require.Len(t, msgs, 1)
			require.Contains(t, msgs[0], tt.wantMsg)
		})
	}
}

func TestSocketDirectoryMounts(t *testing.T) {
	tests := []struct {
		name     string
		volume   string
		wantRule string // "" means neither RT022 nor RT023
		wantMsg  string
	}{
		{"var run writable", "/var/run:/host-run", "RT022",
			"host directory /var/run is mounted at /host-run, which exposes the container runtime sockets " +
				"that live there (docker.sock, containerd/containerd.sock, crio/crio.sock and podman/podman.sock"},
		{"run read-only", "/run:/run:ro", "RT022", "host directory /run is mounted at /run"},
		{"run with trailing slash", "/run/:/r", "RT022", "host directory /run/ is mounted"},
		{"containerd directory", "/run/containerd:/c", "RT022", "(containerd.sock, when"},
		{"docker socket", "/var/run/docker.sock:/var/run/docker.sock", "RT022",
			"the container runtime socket /var/run/docker.sock is mounted"},
		{"etc stays sensitive", "/etc:/e", "RT023", "host path /etc is mounted writable"},
		{"app socket under run", "/run/app/app.sock:/app.sock", "", ""},
		{"run lock directory", "/run/lock:/run/lock", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auditScript(t, "docker run -v "+tt.volume+" img:1")

			var mountFindings []finding.Finding
			for _, f := range got {
				if f.RuleID == "RT022" || f.RuleID == "RT023" {
					mountFindings = append(mountFindings, f)
				}
			}
			if tt.wantRule == "" {
				require.Empty(t, mountFindings)
				return
			}
			require.Len(t, mountFindings, 1)
			require.Equal(t, tt.wantRule, mountFindings[0].RuleID)
			require.Contains(t, mountFindings[0].Message, tt.wantMsg)
			if tt.wantRule == "RT022" {
				require.Equal(t, finding.Critical, mountFindings[0].Severity)
			}
		})
	}
}

func TestProfileMissingWindowsPath(t *testing.T) {
	ctx := &Context{ReadFile: fstest.MapFS{
		"dbmon.seccomp":        {Data: []byte(`{"defaultAction": "SCMP_ACT_ERRNO"}`)},
		"profiles/app.json":    {Data: []byte(`{"defaultAction": "SCMP_ACT_ERRNO"}`)},
		`back\slash.json`:      {Data: []byte(`{"defaultAction": "SCMP_ACT_ERRNO"}`)},
		"profiles/broken.json": {Data: []byte(`{`)},
	}.ReadFile}
	tests := []struct {
		name    string
		opt     string
		wantMsg string // "" means RT010 stays silent
	}{
		{"backslash with slashed file present", `seccomp=.\dbmon.seccomp`,
			`seccomp profile .\dbmon.seccomp is not found because \ is a Windows path separator, ` +
				"which Docker on Linux does not accept, so write ./dbmon.seccomp"},
		{"backslash in directory", `seccomp=profiles\app.json`,
			`seccomp profile profiles\app.json is not found because \ is a Windows path separator`},
		{"backslash with no file either way", `seccomp=.\gone.json`,
			`seccomp profile .\gone.json does not exist, and ./gone.json does not either ` +
				`(\ is a Windows path separator, which Docker on Linux does not accept)`},
		{"plain missing path", "seccomp=./gone.json", "seccomp profile ./gone.json does not exist"},
		{"invalid JSON shown as written", "seccomp=profiles/broken.json",
			"seccomp profile profiles/broken.json is not valid JSON"},
		{"slashed path exists", "seccomp=dbmon.seccomp", ""},
		{"file name with a backslash exists", `seccomp=back\slash.json`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := rt.ParseScripts("run.sh", rt.ShellScripts([]byte("docker run --security-opt '"+tt.opt+"' img:1")))
			require.Empty(t, res.Problems)

			var msgs []string
			for _, f := range Audit(res.Containers, ctx) {
				if f.RuleID == "RT010" {
					msgs = append(msgs, f.Message)
				}
			}
			if tt.wantMsg == "" {
				require.Empty(t, msgs)
				return
			}
			require.Len(t, msgs, 1)
			require.Contains(t, msgs[0], tt.wantMsg)
			require.NotContains(t, msgs[0], `\\`, "the path is shown as written, without Go quoting")
		})
	}
}
