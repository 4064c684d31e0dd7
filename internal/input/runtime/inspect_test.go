package runtime

import (
	"encoding/json"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// testdata/inspect-hardening.json is docker inspect output of a container
// created on Docker Engine 20.10 (cgroup v1) with:
//
//	docker create --network none --user 0 --cap-drop ALL --cap-add SYS_ADMIN
//	  --read-only --tmpfs /tmp:exec -m 64m --pids-limit 50
//	  --security-opt no-new-privileges --security-opt systempaths=unconfined
//	  -p 127.0.0.1:8080:80 -v /etc:/host-etc:ro --restart on-failure:3
//	  --ulimit nofile=-1:-1 -e API_TOKEN=notarealtoken dockward-test/busybox:1 sleep 1
func TestParseInspect(t *testing.T) {
	data, err := os.ReadFile("testdata/inspect-hardening.json")
	require.NoError(t, err)

	cs, err := ParseInspect("inspect.json", data)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	c := cs[0]

	require.Equal(t, SourceInspect, c.Source)
	require.Equal(t, "dw-inspect-fixture", c.Name)
	require.Equal(t, "0", c.Security.User.V)
	require.Equal(t, "ALL", c.Security.CapDrop[0].V)
	require.Equal(t, "CAP_SYS_ADMIN", c.Security.CapAdd[0].V, "the engine adds the CAP_ prefix")
	require.True(t, c.Security.ReadOnlyRootfs.V)
	require.True(t, c.Security.NoNewPrivileges.V)
	require.Equal(t, "unconfined", c.Security.Systempaths.V)
	require.Equal(t, int64(64<<20), c.Resources.Memory.V)
	require.Equal(t, int64(128<<20), c.Resources.MemorySwap.V, "the engine doubles memory for swap")
	require.Equal(t, int64(50), c.Resources.PidsLimit.V)
	require.Equal(t, "none", c.Namespace.Network.V)
	require.Equal(t, "host", c.Namespace.Cgroup.V, "cgroup v1 engines default to the host cgroup namespace")
	require.Equal(t, RestartPolicy{Name: "on-failure", MaxRetries: 3}, c.Restart.V)
	require.Equal(t, []string{"exec"}, c.Tmpfs[0].Options)
	require.Equal(t, "/etc", c.Mounts[0].Source)
	require.True(t, c.Mounts[0].ReadOnly)
	require.Equal(t, "127.0.0.1", c.Ports[0].HostIP)
	require.Equal(t, int64(-1), c.Ulimits[0].Soft)

	require.Equal(t, 132, c.Security.Systempaths.Pos.Line, "positions point at the key")
	require.Equal(t, 117, c.Resources.MemorySwap.Pos.Line)
}

func TestParseInspectSingleObject(t *testing.T) {
	cs, err := ParseInspect("one.json", []byte(`{"Name": "/x", "HostConfig": {"Privileged": true}, "Config": {"Image": "a"}}`))
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.True(t, cs[0].Security.Privileged.V)
	require.Equal(t, 1, cs[0].Security.Privileged.Pos.Line)
}

func TestParseInspectInvalidJSON(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
	}{
		{"syntax error", "[\n  {\n    \"Name\": \"/x\",\n    oops\n  }\n]", 4},
		{"wrong type", "[\n  {\n    \"HostConfig\": {\"Privileged\": \"yes\"}\n  }\n]", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseInspect("bad.json", []byte(tt.src))
			var ie *InspectError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, tt.line, ie.Line)
			require.Contains(t, err.Error(), "bad.json")
		})
	}
}

func TestParseInspectHostAccess(t *testing.T) {
	data := `[{"Name": "/gpu", "Config": {"Image": "app:1", "ExposedPorts": {"8080/tcp": {}}},
  "HostConfig": {
    "PublishAllPorts": true,
    "VolumesFrom": ["data:ro"],
    "DeviceRequests": [{"Driver": "", "Count": -1, "Capabilities": [["gpu"]]}],
    "DeviceCgroupRules": ["c 10:200 rwm"]
  }}]`

	cs, err := ParseInspect("inspect.json", []byte(data))
	require.NoError(t, err)
	c := cs[0]

	require.True(t, Is(c.PublishAll, true))
	require.Equal(t, 3, c.PublishAll.Pos.Line)
	require.Equal(t, "data:ro", c.VolumesFrom[0].V)
	require.Empty(t, c.Notes, "docker inspect lists inherited mounts")
	require.Len(t, c.DeviceRequests, 1)
	require.Equal(t, -1, c.DeviceRequests[0].Count)
	require.Equal(t, 5, c.DeviceRequests[0].Pos.Line)
	require.Len(t, c.DeviceCgroupRules, 1)
	require.Equal(t, "200", c.DeviceCgroupRules[0].Minor)
	require.Equal(t, 6, c.DeviceCgroupRules[0].Pos.Line)
}

func TestInspectErrorAtEndOfInput(t *testing.T) {
	data := []byte("[\n {\"Id\": \"x\",\n  \"Name\": \"y\",\n\n")
	tests := []struct {
		name string
		err  error
	}{
		{"decoder cut short", io.ErrUnexpectedEOF},
		{"unmarshal cut short", json.Unmarshal(data, new(any))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ie *InspectError
			require.ErrorAs(t, jsonError("cut.json", data, tt.err), &ie)
			require.Equal(t, 3, ie.Line, "the last line that is not blank")
		})
	}
}
