package testenv_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

func TestBusyboxImageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)

	tests := []struct {
		name     string
		args     []string
		cmd      []string
		wantOut  string
		wantExit int
	}{
		{name: "root user", cmd: []string{"id", "-u"}, wantOut: "0"},
		{name: "nobody user", args: []string{"--user", "nobody"}, cmd: []string{"id", "-u"}, wantOut: "65534"},
		{name: "shell exit status", cmd: []string{"sh", "-c", "exit 3"}, wantExit: 3},
		{name: "no network", cmd: []string{"cat", "/sys/class/net/lo/operstate", "/proc/net/dev"}},
		{name: "writable tmp", cmd: []string{"sh", "-c", "mkdir /tmp/x && echo ok"}, wantOut: "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := d.Run(t, testenv.RunOptions{Args: tt.args}, image, tt.cmd...)
			require.NoError(t, res.Err)
			require.Equal(t, tt.wantExit, res.ExitCode, "stderr: %s", res.Stderr)
			if tt.wantOut != "" {
				require.Equal(t, tt.wantOut, strings.TrimSpace(res.Stdout))
			}
		})
	}
}

func TestRunNetworkNoneIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)

	res := d.Run(t, testenv.RunOptions{}, image, "ls", "/sys/class/net")
	require.NoError(t, res.Err)
	require.Equal(t, "lo", strings.TrimSpace(res.Stdout))
}

func TestStartRemovesContainerIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)

	var id string
	t.Run("start", func(t *testing.T) {
		id = d.Start(t, testenv.RunOptions{}, image, "sleep", "60")
		state := d.Output(t, "inspect", "--format", "{{.State.Running}}", id)
		require.Equal(t, "true", state)
	})
	require.NotEmpty(t, id)
	err := d.Command(t.Context(), "inspect", id).Run()
	require.Error(t, err, "container %s still exists after its test ended", id)
}

func TestDebianImageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	rootfs := testenv.DebianRootfs(t)

	version, err := os.ReadFile(filepath.Join(rootfs, "etc", "debian_version"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(version), "12"), "debian_version %q", version)

	image := testenv.DebianImage(t)
	res := d.Run(t, testenv.RunOptions{}, image, "dpkg-query", "-W", "-f", "${Package}\n", "base-files")
	require.NoError(t, res.Err)
	require.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	require.Equal(t, "base-files", strings.TrimSpace(res.Stdout))
}

func TestStaticBinaryIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	bin := testenv.StaticBinary(t, "github.com/dockward/dockward/cmd/dockward")

	res := d.Run(t, testenv.RunOptions{Args: []string{"-v", bin + ":/dockward:ro"}},
		image, "/dockward", "version")
	require.NoError(t, res.Err)
	require.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
}
