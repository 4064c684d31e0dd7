package profile

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

func TestGeneratedProfileIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	workload := []string{"sh", "-c", "id >/dev/null && ls / >/dev/null && echo done"}

	tr := traceImage(t, d, image, workload...)
	require.Equal(t, 0, tr.ExitCode)
	p, err := GenerateSeccomp(tr, SeccompOptions{Startup: StartupSyscalls()})
	require.NoError(t, err)
	require.NotContains(t, p.Syscalls[0].Names, "mount")
	require.NotContains(t, p.Syscalls[0].Names, "ptrace")
	profile := profileJSON(t, p)

	t.Run("workload starts", func(t *testing.T) {
		res, err := VerifyImage(context.Background(), profile, imageOptions(t, d, image, workload...))
		require.NoError(t, err)
		require.True(t, res.Started, res.Summary())
		require.Equal(t, 0, res.ExitCode, res.Summary())
		require.Empty(t, res.WorkloadDenied(), res.Summary())
		require.Contains(t, res.Output, "done")
	})

	t.Run("mount denied", func(t *testing.T) {
		args := append([]string{}, workload...)
		args[2] += "; mount -t tmpfs none /tmp; exit 0"
		want := Denial{Arch: "SCMP_ARCH_X86_64", Syscall: "mount", Errno: "EPERM", Count: 1}
		res := verifyUntilDenied(t, profile, imageOptions(t, d, image, args...), want)
		require.True(t, res.Started, res.Summary())
		require.Contains(t, res.WorkloadDenied(), want, res.Summary())
	})

	t.Run("ptrace denied", func(t *testing.T) {
		bin := writePtraceBinary(t)
		opts := imageOptions(t, d, image, "/ptrace")
		opts.RunArgs = []string{"-v", bin + ":/ptrace:ro"}
		want := Denial{Arch: "SCMP_ARCH_X86_64", Syscall: "ptrace", Errno: "EPERM", Count: 1}
		res := verifyUntilDenied(t, profile, opts, want)
		require.True(t, res.Started, res.Summary())
		require.Contains(t, res.WorkloadDenied(), want, res.Summary())
	})
}

// verifyUntilDenied runs the workload under the profile up to three times
// until the expected denial is observed.
// NOTE: in one CI run of about ten, the host-side observer reported no
// denial for a mount made by a short-lived child just before the container
// exited, although the profile denies mount. The cause is not found yet.
func verifyUntilDenied(t *testing.T, profile []byte, opts ImageOptions, want Denial) *VerifyResult {
	t.Helper()
	var res *VerifyResult
	for range 3 {
		var err error
		res, err = VerifyImage(context.Background(), profile, opts)
		require.NoError(t, err)
		if slices.Contains(res.WorkloadDenied(), want) {
			break
		}
		t.Logf("denial not observed, retrying: %s", res.Summary())
	}
	return res
}

// TestStartupSyscallsIntegration is the experiment behind the start-up
// list. A profile made from the workload's trace alone stops runc before it
// executes the workload, and the trace plus the list starts it. Every
// syscall that the runtime makes after installing Docker's default profile
// is on the list.
func TestStartupSyscallsIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	workload := []string{"true"}
	tr := traceImage(t, d, image, workload...)

	def, err := json.Marshal(seccomp.DefaultProfile())
	require.NoError(t, err)
	measured, err := VerifyImage(context.Background(), def, imageOptions(t, d, image, workload...))
	require.NoError(t, err)
	require.True(t, measured.OK(), measured.Summary())
	require.Contains(t, measured.RuntimeCalls, "execve")
	t.Logf("runtime calls after the filter is installed: %v", measured.RuntimeCalls)
	for _, name := range measured.RuntimeCalls {
		require.Contains(t, StartupSyscalls(), name, "runtime call missing from the start-up list")
	}

	t.Run("trace alone", func(t *testing.T) {
		p, err := GenerateSeccomp(tr, SeccompOptions{})
		require.NoError(t, err)
		res, err := VerifyImage(context.Background(), profileJSON(t, p), imageOptions(t, d, image, workload...))
		require.NoError(t, err)
		require.False(t, res.OK(), res.Summary())
		require.NotEmpty(t, res.Denied)
		for _, den := range res.Denied {
			require.True(t, den.Runtime, "denial after the workload started: %+v", den)
		}
	})

	t.Run("trace and start-up list", func(t *testing.T) {
		p, err := GenerateSeccomp(tr, SeccompOptions{Startup: StartupSyscalls()})
		require.NoError(t, err)
		res, err := VerifyImage(context.Background(), profileJSON(t, p), imageOptions(t, d, image, workload...))
		require.NoError(t, err)
		require.True(t, res.OK(), res.Summary())
		require.Empty(t, res.Denied, res.Summary())
	})
}

func TestAppArmorFromImageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	parser, err := exec.LookPath("apparmor_parser")
	if err != nil {
		testenv.Unavailable(t, "apparmor_parser not found (Debian package apparmor)")
	}

	tr := traceImage(t, d, image, "sh", "-c", "cat /etc/passwd >/dev/null; mkdir -p /tmp/a/b; echo x > /tmp/a/b/c")
	require.Equal(t, 0, tr.ExitCode)
	var buf bytes.Buffer
	require.NoError(t, GenerateAppArmor(&buf, tr, AppArmorOptions{Name: "busybox-test"}))
	require.Contains(t, buf.String(), "  /etc/passwd r,\n")
	require.Contains(t, buf.String(), "  /bin/busybox rix,\n")
	require.Contains(t, buf.String(), "  /tmp/** w,\n")

	path := filepath.Join(t.TempDir(), "busybox-test")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	out, err := exec.Command(parser, "-Q", "-K", path).CombinedOutput()
	require.NoError(t, err, "apparmor_parser: %s", out)
}

func TestTraceImageErrorsIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	bin := testenv.StaticBinary(t, dockwardPackage)

	opts := imageOptions(t, d, "dockward-test/no-such-image:0")
	opts.Binary = bin
	_, err := TraceImage(context.Background(), opts)
	require.ErrorContains(t, err, `inspecting image "dockward-test/no-such-image:0"`)

	opts = imageOptions(t, d, testenv.BusyboxImage(t))
	opts.Binary = "/bin/sh"
	_, err = TraceImage(context.Background(), opts)
	require.ErrorContains(t, err, "dynamically linked")
}
