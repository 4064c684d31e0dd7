package profile

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/moby/profiles/seccomp"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

const dockwardPackage = "github.com/dockward/dockward/cmd/dockward"

func imageOptions(t *testing.T, d *testenv.Docker, image string, args ...string) ImageOptions {
	t.Helper()
	return ImageOptions{Image: image, Args: args, DockerCLI: d.CLI, Timeout: time.Minute}
}

func traceImage(t *testing.T, d *testenv.Docker, image string, args ...string) *Trace {
	t.Helper()

	opts := imageOptions(t, d, image, args...)
	opts.Binary = testenv.StaticBinary(t, dockwardPackage)
	tr, err := TraceImage(context.Background(), opts)
	require.NoError(t, err)
	return tr
}

func profileJSON(t *testing.T, p *seccomp.Seccomp) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteSeccomp(&buf, p))
	return buf.Bytes()
}

func TestTraceImageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)

	tr := traceImage(t, d, image, "sh", "-c", "echo hi > /tmp/x && cat /tmp/x && exit 4")

	require.Equal(t, 4, tr.ExitCode)
	require.Equal(t, image, tr.Image)
	require.Contains(t, tr.Syscalls["SCMP_ARCH_X86_64"], "execve")
	require.Contains(t, tr.Executed, "/bin/busybox")
	f, ok := fileAccess(tr, "/tmp/x")
	require.True(t, ok, "files: %v", tr.Files)
	require.Contains(t, f.Access, "w")
	require.Contains(t, f.Access, "r")
}

func TestVerifyDefaultProfileIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	def, err := json.Marshal(seccomp.DefaultProfile())
	require.NoError(t, err)

	res, err := VerifyImage(context.Background(), def, imageOptions(t, d, image, "sh", "-c", "id; exit 0"))
	require.NoError(t, err)
	require.True(t, res.Started, "result: %s", res.Summary())
	require.Equal(t, 0, res.ExitCode, "result: %s", res.Summary())
	require.Empty(t, res.Denied, "result: %s", res.Summary())
}
