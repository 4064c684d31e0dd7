package runtime

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCommandHostAccessFlags(t *testing.T) {
	tests := []struct {
		name  string
		cmd   string
		check func(t *testing.T, c *Container)
	}{
		{"publish all short", "docker run -dP img:1", func(t *testing.T, c *Container) {
			require.True(t, Is(c.PublishAll, true))
			require.Equal(t, 1, c.PublishAll.Pos.Line)
		}},
		{"publish all false", "docker run --publish-all=false img:1", func(t *testing.T, c *Container) {
			require.True(t, Is(c.PublishAll, false))
		}},
		{"publish all unknown", "docker run --publish-all=$P img:1", func(t *testing.T, c *Container) {
			require.True(t, c.PublishAll.Unknown)
		}},
		{"env file", "docker run --env-file ./app.env img:1", func(t *testing.T, c *Container) {
			require.Equal(t, []EnvFile{{Path: "./app.env", Format: EnvFileDocker, Required: true,
				Pos: Pos{Path: "run.sh", Line: 1, Column: 12, EndLine: 1, EndColumn: 32}}}, c.EnvFiles)
		}},
		{"exec env file", "docker exec --env-file e.env web sh", func(t *testing.T, c *Container) {
			require.Len(t, c.EnvFiles, 1)
		}},
		{"gpus all", "docker run --gpus all img:1", func(t *testing.T, c *Container) {
			require.Len(t, c.DeviceRequests, 1)
			require.Equal(t, -1, c.DeviceRequests[0].Count)
			require.Equal(t, [][]string{{"gpu"}}, c.DeviceRequests[0].Capabilities)
		}},
		{"gpus by id", `docker run --gpus '"device=0,2"' img:1`, func(t *testing.T, c *Container) {
			require.Equal(t, []string{"0", "2"}, c.DeviceRequests[0].DeviceIDs)
		}},
		{"gpus invalid", "docker run --gpus lots img:1", func(t *testing.T, c *Container) {
			require.Empty(t, c.DeviceRequests)
			require.Len(t, c.Notes, 1)
			require.Contains(t, c.Notes[0].Message, "invalid --gpus")
		}},
		{"gpus unknown", "docker run --gpus $GPUS img:1", func(t *testing.T, c *Container) {
			require.True(t, c.DeviceRequests[0].Unknown)
		}},
		{"cgroup rule", "docker run --device-cgroup-rule 'c 10:200 rwm' img:1", func(t *testing.T, c *Container) {
			require.Len(t, c.DeviceCgroupRules, 1)
			r := c.DeviceCgroupRules[0]
			require.Equal(t, []string{"c", "10", "200", "rwm"}, []string{r.Type, r.Major, r.Minor, r.Access})
		}},
		{"cgroup rule invalid", "docker run --device-cgroup-rule 'x 1:2 r' img:1", func(t *testing.T, c *Container) {
			require.Empty(t, c.DeviceCgroupRules)
			require.Contains(t, c.Notes[0].Message, "invalid device cgroup rule")
		}},
		{"volumes from", "docker run --volumes-from data:ro img:1", func(t *testing.T, c *Container) {
			require.Len(t, c.VolumesFrom, 1)
			require.Equal(t, "data:ro", c.VolumesFrom[0].V)
			require.Len(t, c.Notes, 1)
			require.Contains(t, c.Notes[0].Message, "mounts inherited from container data are not visible")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ParseScripts("run.sh", ShellScripts([]byte(tt.cmd)))
			require.Len(t, res.Containers, 1)
			tt.check(t, res.Containers[0])
		})
	}
}
