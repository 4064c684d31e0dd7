package compose

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/runtime"
)

func TestDeviceAccessKeys(t *testing.T) {
	res := loadText(t, `services:
  ml:
    image: app:1
    gpus: all
    device_cgroup_rules:
      - "c 195:* rwm"
      - "a *:* rwm"
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              device_ids: ["0", "1"]
              capabilities: [gpu]
            - capabilities: [gpu]
`)
	require.Empty(t, res.Problems, reasons(res.Problems))
	c := byName(t, res, "ml")

	require.Len(t, c.DeviceRequests, 3)
	require.Equal(t, -1, c.DeviceRequests[0].Count, "gpus: all")
	require.Equal(t, 4, c.DeviceRequests[0].Pos.Line)
	require.Equal(t, []string{"0", "1"}, c.DeviceRequests[1].DeviceIDs)
	require.Equal(t, "nvidia", c.DeviceRequests[1].Driver)
	require.Equal(t, 12, c.DeviceRequests[1].Pos.Line)
	require.Equal(t, -1, c.DeviceRequests[2].Count, "no count and no IDs reserves every device")
	require.Equal(t, [][]string{{"gpu"}}, c.DeviceRequests[2].Capabilities)

	require.Len(t, c.DeviceCgroupRules, 2)
	require.Equal(t, "195", c.DeviceCgroupRules[0].Major)
	require.Equal(t, 6, c.DeviceCgroupRules[0].Pos.Line)
	require.Equal(t, "a", c.DeviceCgroupRules[1].Type)
	require.Equal(t, 7, c.DeviceCgroupRules[1].Pos.Line)
}

func TestVolumesFromNotes(t *testing.T) {
	res := loadText(t, `services:
  db:
    image: db:1
    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
  app:
    image: app:1
    volumes_from:
      - db
      - container:backup:ro
`)
	require.Empty(t, res.Problems, reasons(res.Problems))
	c := byName(t, res, "app")

	require.Len(t, c.VolumesFrom, 2)
	require.Len(t, c.Notes, 1, "a service's mounts are audited on that service")
	require.Contains(t, c.Notes[0].Message, "mounts inherited from container backup are not visible")
	require.Equal(t, 9, c.Notes[0].Pos.Line)
}

func TestEnvFileEntries(t *testing.T) {
	res := loadFiles(t, map[string]string{
		"compose.yaml": `services:
  app:
    image: app:1
    env_file:
      - common.env
      - path: ./local.env
        required: false
      - path: raw.env
        format: raw
  one:
    image: app:1
    env_file: ${ENV_FILE}
`,
		"common.env": "A=1\n",
	})
	c := byName(t, res, "app")

	require.Equal(t, []runtime.EnvFile{
		{Path: "common.env", Format: runtime.EnvFileCompose, Required: true,
			Pos: runtime.Pos{Path: "compose.yaml", Line: 5, Column: 9}},
		{Path: "./local.env", Format: runtime.EnvFileCompose,
			Pos: runtime.Pos{Path: "compose.yaml", Line: 6, Column: 9}},
		{Path: "raw.env", Format: runtime.EnvFileRaw, Required: true,
			Pos: runtime.Pos{Path: "compose.yaml", Line: 8, Column: 9}},
	}, c.EnvFiles)
	_, ok := envValue(c, "A")
	require.False(t, ok, "the reader itself never reads env files")

	one := byName(t, res, "one")
	require.Len(t, one.EnvFiles, 1)
	require.True(t, one.EnvFiles[0].Unknown)
}
