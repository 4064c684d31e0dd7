package runtime

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	rt "github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/source/dockerapi"
	"github.com/dockward/dockward/internal/testenv"
)

// networkRules need a network, which test containers never get; they are
// tested on command lines only.
var networkRules = []string{"RT017", "RT026", "RT027", "RT039"}

// TestIntegrationCommandLineMatchesLiveContainer starts containers with
// the same flags that are audited as a command line, and checks that both
// give the same rule IDs, apart from the Docker defaults that only a live
// container shows.
func TestIntegrationCommandLineMatchesLiveContainer(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	cgroupV1 := engineCgroupVersion(t, d) == "1"

	tests := []struct {
		name  string
		flags string
		// liveOnly are rule IDs only the live container shows, apart
		// from the host cgroup namespace on cgroup v1 engines.
		liveOnly []string
		// engineLabel is set where the engine adds label=disable by
		// itself, which RT033 leaves to the rules for its cause.
		engineLabel bool
		// env is set in the docker client's environment.
		env map[string]string
		// create only creates the container: a nested engine, as in CI,
		// cannot start privileged containers, and inspect shows the same
		// configuration for a created one.
		create bool
	}{
		{name: "defaults", flags: ""},
		{name: "hardened", flags: "--user 65534:65534 --cap-drop ALL --read-only --tmpfs /tmp " +
			"--security-opt no-new-privileges -m 64m --memory-swap 64m --cpus 0.5 --pids-limit 50 " +
			"--health-cmd /bin/true --restart on-failure:3 --cgroupns private"},
		{name: "root user", flags: "--user 0:0 --cap-drop ALL"},
		{
			name: "privileged", flags: "--privileged", create: true,
			engineLabel: true,
		},
		{name: "dangerous capability", flags: "--cap-drop ALL --cap-add SYS_ADMIN --cap-add SYS_PTRACE"},
		{name: "unneeded bind capability", flags: "--cap-drop ALL --cap-add NET_BIND_SERVICE --expose 8080"},
		{name: "exec tmpfs", flags: "--read-only --tmpfs /tmp:rw,exec,suid"},
		{name: "seccomp unconfined", flags: "--security-opt seccomp=unconfined"},
		{name: "apparmor unconfined", flags: "--security-opt apparmor=unconfined"},
		{name: "memory without swap limit", flags: "-m 64m"},
		{name: "unlimited swap", flags: "-m 64m --memory-swap -1"},
		{name: "zero pids limit and cpu quota", flags: "--pids-limit -1 --cpu-quota 50000"},
		{
			name:        "host namespaces",
			flags:       "--pid host --ipc host --uts host --userns host",
			engineLabel: true,
		},
		{name: "docker socket and sensitive mounts", flags: "-v /var/run/docker.sock:/var/run/docker.sock " +
			"-v /etc:/host-etc:ro -v /proc:/host-proc"},
		{name: "host device", flags: "--device /dev/full:/dev/xfull:r"},
		{name: "device cgroup rule", flags: "--device-cgroup-rule 'c 1:7 rw'"},
		{name: "restart always", flags: "--restart always"},
		{name: "curl health check", flags: "--health-cmd 'wget -q -O /dev/null http://127.0.0.1/ || exit 1'"},
		{name: "literal secret", flags: "-e API_TOKEN=Zq8vN3xL0pR7sT2wY5kB9mC4"},
		{name: "unlimited ulimit", flags: "--ulimit core=-1"},
		{name: "selinux and system paths", flags: "--security-opt label=disable --security-opt systempaths=unconfined"},
		{name: "kernel sysctl", flags: "--sysctl kernel.shmmax=1073741824"},
		{name: "cgroup parent", flags: "--cgroup-parent dockward-test.slice --cgroupns private"},
		{name: "deprecated colon syntax", flags: "--security-opt seccomp:unconfined"},
		{
			name:  "secret copied from the caller",
			flags: "-e DB_PASSWORD",
			env:   map[string]string{"DB_PASSWORD": "Zq8vN3xL0pR7sT2wY5kB9mC4"},
			// The command line names the variable only; the engine
			// stores and shows the value.
			liveOnly: []string{"RT031"},
		},
	}
	require.GreaterOrEqual(t, len(tests), 15)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			line := "docker run -d --network none " + tt.flags + " " + image + " sleep 300"
			cliIDs := without(ruleIDs(auditScript(t, line)), networkRules)

			args := shellWords(tt.flags)
			var id string
			if tt.create {
				id = createContainer(t, d, args, image)
			} else {
				id = d.Start(t, testenv.RunOptions{Args: args}, image, "sleep", "300")
			}
			live := inspectLive(t, d.Client, id)
			liveIDs := without(ruleIDs(Audit([]*rt.Container{live}, nil)), networkRules)

			want := append(slices.Clone(cliIDs), tt.liveOnly...)
			if tt.engineLabel {
				require.True(t, slices.ContainsFunc(live.Security.Options, func(o rt.SecurityOpt) bool {
					return o.Key == "label" && o.Value == "disable"
				}), "the engine adds label=disable")
			}
			if cgroupV1 && !strings.Contains(tt.flags, "--cgroupns") {
				// cgroup v1 engines default to the host cgroup namespace,
				// which only the live container shows, and the message
				// names that default and the flag that changes it.
				want = append(want, "RT041")
				msg := messageOf(Audit([]*rt.Container{live}, nil), "RT041")
				require.Contains(t, msg, "default on cgroup v1 hosts")
				require.Contains(t, msg, "--cgroupns private")
			}
			if strings.Contains(tt.flags, "seccomp:") {
				// The engine keeps the option as written, so the colon
				// form shows in both.
				require.Contains(t, liveIDs, "RT012")
			}
			require.Equal(t, dedupe(want), liveIDs, "command line: %v", cliIDs)
		})
	}
}

// TestIntegrationVolumesFromLiveShowsMounts checks where the two audits
// must differ for --volumes-from: the command line cannot see the mounts
// it inherits and records a note, while the engine lists them, so the
// live container reports the inherited docker socket.
func TestIntegrationVolumesFromLiveShowsMounts(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	source := strings.TrimSpace(d.Start(t, testenv.RunOptions{
		Args: []string{"-v", "/var/run/docker.sock:/var/run/docker.sock"}}, image, "sleep", "300"))

	line := "docker run -d --network none --volumes-from " + source + " " + image + " sleep 300"
	res := rt.ParseScripts("run.sh", rt.ShellScripts([]byte(line)))
	require.Len(t, res.Containers, 1)
	cli := res.Containers[0]
	id := createContainer(t, d, []string{"--volumes-from", source}, image)
	live := inspectLive(t, d.Client, id)

	require.False(t, hasRule(Audit([]*rt.Container{cli}, nil), "RT022"))
	require.Len(t, cli.Notes, 1)
	require.Contains(t, cli.Notes[0].Message, "mounts inherited from container "+source)
	require.True(t, hasRule(Audit([]*rt.Container{live}, nil), "RT022"))
	require.Equal(t, []string{source}, []string{live.VolumesFrom[0].V})
	require.Empty(t, live.Notes, "the engine lists inherited mounts, so nothing is hidden")
}

// TestIntegrationPublishAllLive checks that a live container created with
// -P reports the ports the engine publishes, here the --expose port.
func TestIntegrationPublishAllLive(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	id := createContainer(t, d, []string{"-P", "--expose", "8080"}, image)

	got := Audit([]*rt.Container{inspectLive(t, d.Client, id)}, nil)

	msgs := messagesOf(got, "RT026")
	require.Len(t, msgs, 1)
	require.Contains(t, msgs[0], "HostConfig.PublishAllPorts (-P) publishes 8080/tcp")
	require.False(t, hasRule(got, "RT027"))
}

func createContainer(t *testing.T, d *testenv.Docker, args []string, image string) string {
	t.Helper()
	name := testenv.ContainerName(t)
	t.Cleanup(func() {
		_ = d.Command(context.Background(), "rm", "-f", name).Run()
	})
	full := append([]string{"create", "--name", name, "--network", "none"}, args...)
	return d.Output(t, append(full, image, "sleep", "300")...)
}

func inspectLive(t *testing.T, c *client.Client, id string) *rt.Container {
	t.Helper()
	found, err := dockerapi.Inspect(context.Background(), c, []string{strings.TrimSpace(id)})
	require.NoError(t, err)
	return rt.FromEngine(found[0].Container, found[0].Raw)
}

func engineCgroupVersion(t *testing.T, d *testenv.Docker) string {
	t.Helper()
	info, err := d.Client.Info(context.Background(), client.InfoOptions{})
	require.NoError(t, err)
	return info.Info.CgroupVersion
}

// shellWords splits flags on blanks, with single quotes grouping words,
// which is all the flags of these tests need.
func shellWords(s string) []string {
	var out []string
	for len(s) > 0 {
		s = strings.TrimLeft(s, " ")
		switch {
		case s == "":
		case s[0] == '\'':
			end := strings.IndexByte(s[1:], '\'') + 1
			out = append(out, s[1:end])
			s = s[end+1:]
		default:
			end := strings.IndexByte(s, ' ')
			if end < 0 {
				end = len(s)
			}
			out = append(out, s[:end])
			s = s[end:]
		}
	}
	return out
}

func without(ids, drop []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(drop, id) {
			out = append(out, id)
		}
	}
	return out
}

func dedupe(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}

func messageOf(fs []finding.Finding, id string) string {
	for _, f := range fs {
		if f.RuleID == id {
			return f.Message
		}
	}
	return ""
}
