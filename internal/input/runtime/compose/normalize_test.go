package compose

import (
	"context"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/runtime"
)

// cliService is the part of the Docker CLI's normalised full example that
// the runtime model carries.
type cliService struct {
	CapAdd       []string `json:"cap_add"`
	CapDrop      []string `json:"cap_drop"`
	CgroupParent string   `json:"cgroup_parent"`
	Devices      []string `json:"devices"`
	Healthcheck  struct {
		Test []string `json:"test"`
	} `json:"healthcheck"`
	Image       string   `json:"image"`
	Ipc         string   `json:"ipc"`
	Pid         string   `json:"pid"`
	NetworkMode string   `json:"network_mode"`
	Privileged  bool     `json:"privileged"`
	ReadOnly    bool     `json:"read_only"`
	SecurityOpt []string `json:"security_opt"`
	Tmpfs       []string `json:"tmpfs"`
	User        string   `json:"user"`
	Restart     string   `json:"restart"`
	Sysctls     map[string]string
	Ulimits     map[string]json.RawMessage `json:"ulimits"`
	Ports       []struct {
		Target    int    `json:"target"`
		Published int    `json:"published"`
		Protocol  string `json:"protocol"`
	} `json:"ports"`
	Volumes []struct {
		Type     string `json:"type"`
		Source   string `json:"source"`
		Target   string `json:"target"`
		ReadOnly bool   `json:"read_only"`
		Tmpfs    *struct {
			Size int64 `json:"size"`
		} `json:"tmpfs"`
	} `json:"volumes"`
	Deploy struct {
		Resources struct {
			Limits struct {
				Cpus   string `json:"cpus"`
				Memory string `json:"memory"`
				Pids   int64  `json:"pids"`
			} `json:"limits"`
		} `json:"resources"`
	} `json:"deploy"`
}

// TestDockerCLIFullExample compares the model of the Docker CLI's full
// compose example with the normalised form the CLI's own loader tests
// expect. Three differences are by design. Host paths stay as written
// instead of being resolved against the CLI test's working directory and
// HOME. Environment files are not read, because only the literal
// environment of the file is audited. Volumes with the same target are
// merged the way docker compose (compose-go) merges them, keeping the
// last, where the CLI's stack loader keeps them all.
func TestDockerCLIFullExample(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "..", "shared", "corpus", "compose")
	data, err := os.ReadFile(filepath.Join(dir, "docker-cli-full-example.yaml"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	golden, err := os.ReadFile(filepath.Join(dir, "docker-cli-full-example.expected.json"))
	require.NoError(t, err)
	var expected struct {
		Services map[string]cliService `json:"services"`
	}
	require.NoError(t, json.Unmarshal(golden, &expected))
	want := expected.Services["foo"]

	abs, err := filepath.Abs(dir)
	require.NoError(t, err)
	res := Load(context.Background(), "docker-cli-full-example.yaml", data, Options{Dir: abs})
	c := byName(t, res, "foo")

	t.Run("security", func(t *testing.T) {
		require.Equal(t, want.CapAdd, values(c.Security.CapAdd))
		require.Equal(t, want.CapDrop, values(c.Security.CapDrop))
		require.Equal(t, want.Privileged, c.Security.Privileged.V)
		require.Equal(t, want.ReadOnly, c.Security.ReadOnlyRootfs.V)
		require.Equal(t, want.User, c.Security.User.V)
		var opts []string
		for _, o := range c.Security.Options {
			opts = append(opts, o.Raw)
		}
		require.Equal(t, want.SecurityOpt, opts)
	})
	t.Run("namespaces", func(t *testing.T) {
		require.Equal(t, want.Ipc, c.Namespace.IPC.V)
		require.Equal(t, want.Pid, c.Namespace.PID.V)
		require.Equal(t, want.NetworkMode, c.Namespace.Network.V)
		require.Equal(t, want.CgroupParent, c.Resources.CgroupParent.V)
	})
	t.Run("resources", func(t *testing.T) {
		cpus, err := strconv.ParseFloat(want.Deploy.Resources.Limits.Cpus, 64)
		require.NoError(t, err)
		require.Equal(t, int64(cpus*1e9), c.Resources.NanoCPUs.V)
		memory, err := strconv.ParseInt(want.Deploy.Resources.Limits.Memory, 10, 64)
		require.NoError(t, err)
		require.Equal(t, memory, c.Resources.Memory.V)
		require.Equal(t, want.Deploy.Resources.Limits.Pids, c.Resources.PidsLimit.V)
	})
	t.Run("image and restart", func(t *testing.T) {
		require.Equal(t, want.Image, c.Image.V)
		require.Equal(t, want.Restart, c.Restart.V.Name)
		require.Equal(t, want.Healthcheck.Test, c.Healthcheck.V.Test)
	})
	t.Run("devices and tmpfs", func(t *testing.T) {
		var devices []string
		for _, d := range c.Devices {
			devices = append(devices, d.Host+":"+d.Container)
		}
		require.Equal(t, want.Devices, devices)

		var tmpfs []string
		for _, tm := range c.Tmpfs {
			if tm.Target != "/opt" { // /opt is the tmpfs volume, not the tmpfs key
				tmpfs = append(tmpfs, tm.Target)
			}
		}
		require.Equal(t, want.Tmpfs, tmpfs)
	})
	t.Run("sysctls and ulimits", func(t *testing.T) {
		sysctls := map[string]string{}
		for _, s := range c.Sysctls {
			sysctls[s.Name] = s.Value
		}
		require.Equal(t, want.Sysctls, sysctls)

		got := map[string][2]int64{}
		for _, u := range c.Ulimits {
			got[u.Name] = [2]int64{u.Soft, u.Hard}
		}
		require.Equal(t, map[string][2]int64{"nofile": {20000, 40000}, "nproc": {65535, 65535}}, got)
		require.Contains(t, string(want.Ulimits["nofile"]), "20000")
		require.Equal(t, "65535", string(want.Ulimits["nproc"]))
	})
	t.Run("ports", func(t *testing.T) {
		type port struct {
			Target, Published int
			Protocol          string
		}
		var wantPorts, gotPorts []port
		for _, p := range want.Ports {
			wantPorts = append(wantPorts, port{p.Target, p.Published, p.Protocol})
		}
		for _, p := range c.Ports[:len(want.Ports)] {
			published, _ := strconv.Atoi(p.HostPort)
			gotPorts = append(gotPorts, port{p.ContainerPort, published, p.Protocol})
		}
		if diff := cmp.Diff(wantPorts, gotPorts); diff != "" {
			t.Errorf("ports (-want +got):\n%s", diff)
		}
	})
	t.Run("volumes", func(t *testing.T) {
		type mount struct {
			Type, Target string
			ReadOnly     bool
		}
		var wantMounts, gotMounts []mount
		last := map[string]int{}
		for i, v := range want.Volumes {
			last[path.Clean(v.Target)] = i
		}
		for i, v := range want.Volumes {
			if v.Type == "tmpfs" || last[path.Clean(v.Target)] != i {
				continue
			}
			typ := v.Type
			if typ == "cluster" {
				typ = string(runtime.MountOther)
			}
			wantMounts = append(wantMounts, mount{typ, path.Clean(v.Target), v.ReadOnly})
		}
		for _, m := range c.Mounts {
			gotMounts = append(gotMounts, mount{string(m.Type), m.Target, m.ReadOnly})
		}
		byTarget := cmpopts.SortSlices(func(a, b mount) bool { return a.Target < b.Target })
		if diff := cmp.Diff(wantMounts, gotMounts, byTarget); diff != "" {
			t.Errorf("mounts (-want +got):\n%s", diff)
		}
		require.Equal(t, "datavolume", c.Mounts[0].Source)
		require.Equal(t, 285, c.Mounts[0].Pos.Line, "the last entry for /var/lib/mysql")
		require.Equal(t, "~/configs", c.Mounts[3].Source)
		require.Equal(t, 283, c.Mounts[3].Pos.Line)

		var volumeTmpfs []runtime.Tmpfs
		for _, tm := range c.Tmpfs {
			if tm.Target == "/opt" {
				volumeTmpfs = append(volumeTmpfs, tm)
			}
		}
		require.Len(t, volumeTmpfs, 1)
		require.Equal(t, []string{"size=10000"}, volumeTmpfs[0].Options)
		require.Equal(t, 290, volumeTmpfs[0].Pos.Line)
	})
}

func values(vs []runtime.Value[string]) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.V)
	}
	return out
}
