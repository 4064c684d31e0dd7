package secretexec_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

const dockwardPkg = "github.com/dockward/dockward/cmd/dockward"

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// dockerRun runs the docker CLI with stdin and returns its output and
// error, for commands whose failure the test handles itself.
func dockerRun(d *testenv.Docker, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := d.Command(ctx, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("docker %s: %w: %s", strings.Join(args, " "), err, errOut.String())
	}
	return strings.TrimSpace(out.String()), nil
}

// TestSwarmSecretIntegration runs dockward exec as the entrypoint of a
// Docker Swarm service on a single-node swarm of the local engine. The
// secret is created from standard input, and the application proves it
// got the value by printing its SHA-256. Neither docker inspect of the
// container nor of the image may show the value.
func TestSwarmSecretIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	busybox := testenv.BusyboxImage(t)
	bin := testenv.StaticBinary(t, dockwardPkg)

	state, err := dockerRun(d, "", "info", "--format", "{{.Swarm.LocalNodeState}}")
	require.NoError(t, err)
	if state != "active" {
		_, err := dockerRun(d, "", "swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377")
		if err != nil {
			testenv.Unavailable(t, "cannot start a single-node swarm: %v", err)
		}
		t.Cleanup(func() {
			if _, err := dockerRun(d, "", "swarm", "leave", "--force"); err != nil {
				t.Errorf("leaving the swarm: %v", err)
			}
		})
	}

	suffix := randomHex(t, 4)
	image := "dockward-test/exec-app:" + suffix
	ctxDir := t.TempDir()
	data, err := os.ReadFile(bin)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(ctxDir, "dockward"), data, 0o755))
	app := `printf '%s' "$DB_PASSWORD" | sha256sum | cut -d' ' -f1 | sed 's/^/received sha256=/'; ` +
		`echo "mode=$(stat -c %a /run/secrets/db_password)"; ` +
		`echo "file_var=${DB_PASSWORD_FILE:-unset}"; echo ready; sleep 60`
	dockerfile := fmt.Sprintf("FROM %s\nCOPY dockward /dockward\n"+
		"ENTRYPOINT [\"/dockward\", \"exec\", \"--env-from-files\", \"--\"]\n"+
		"CMD [\"/bin/sh\", \"-c\", %q]\n", busybox, app)
	require.NoError(t, os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte(dockerfile), 0o644))
	build := d.Command(context.Background(), "build", "--network", "none", "-q", "-t", image, ctxDir)
	build.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "docker build: %s", out)
	t.Cleanup(func() { _, _ = dockerRun(d, "", "image", "rm", "-f", image) })

	value := "swarm-" + randomHex(t, 16)
	secretName := "dockward_test_db_" + suffix
	_, err = dockerRun(d, value, "secret", "create", secretName, "-")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = dockerRun(d, "", "secret", "rm", secretName) })

	// Swarm services cannot use the local "none" network, so the task gets
	// an internal overlay network of its own: it has no gateway, and the
	// container reaches nothing outside it.
	network := "dockward-test-isolated-" + suffix
	_, err = dockerRun(d, "", "network", "create", "--driver", "overlay", "--internal", network)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = dockerRun(d, "", "network", "rm", network) })

	service := "dockward-test-exec-" + suffix
	_, err = dockerRun(d, "", "service", "create", "--detach", "--name", service,
		"--network", network, "--restart-condition", "none",
		"--secret", "source="+secretName+",target=db_password,uid=0,gid=0,mode=0400",
		"--env", "DB_PASSWORD_FILE=/run/secrets/db_password", image)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = dockerRun(d, "", "service", "rm", service) })

	var logs, container string
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		logs, _ = dockerRun(d, "", "service", "logs", "--raw", service)
		container, _ = dockerRun(d, "", "ps", "-q", "--filter", "label=com.docker.swarm.service.name="+service)
		if strings.Contains(logs, "ready") && container != "" {
			break
		}
		time.Sleep(time.Second)
	}
	require.Contains(t, logs, "ready", "service never became ready; tasks: %s", serviceTasks(d, service))

	sum := sha256.Sum256([]byte(value))
	require.Contains(t, logs, "received sha256="+hex.EncodeToString(sum[:]))
	require.Contains(t, logs, "mode=400")
	require.Contains(t, logs, "file_var=unset")
	require.NotContains(t, logs, value)
	require.NotContains(t, logs, "readable by every user")

	inspectContainer, err := dockerRun(d, "", "inspect", container)
	require.NoError(t, err)
	require.NotContains(t, inspectContainer, value)
	require.Contains(t, inspectContainer, "DB_PASSWORD_FILE=/run/secrets/db_password")
	inspectImage, err := dockerRun(d, "", "image", "inspect", image)
	require.NoError(t, err)
	require.NotContains(t, inspectImage, value)
	history, err := dockerRun(d, "", "history", "--no-trunc", image)
	require.NoError(t, err)
	require.NotContains(t, history, value)
}

func serviceTasks(d *testenv.Docker, service string) string {
	out, _ := dockerRun(d, "", "service", "ps", "--no-trunc", service)
	return out
}

// TestExecInitForwardsSignalsIntegration runs the built dockward binary
// with --init: SIGTERM sent to dockward must reach the application, whose
// exit status dockward returns, and an orphaned grandchild must be reaped.
func TestExecInitForwardsSignalsIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	bin := testenv.StaticBinary(t, dockwardPkg)
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	script := fmt.Sprintf(`(sleep 0.2 &) ; trap 'exit 42' TERM; touch %s; while :; do sleep 0.05; done`, ready)

	cmd := exec.Command(bin, "exec", "--init", "--", "/bin/sh", "-c", script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		require.True(t, time.Now().Before(deadline), "application never started: %s", stderr.String())
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // the orphaned sleep exits meanwhile
	require.Empty(t, zombieChildren(t, cmd.Process.Pid), "orphan not reaped")

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	err := cmd.Wait()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr, "stderr: %s", stderr.String())
	require.Equal(t, 42, exitErr.ExitCode())
}

// zombieChildren lists the children of pid in state Z, from /proc.
func zombieChildren(t *testing.T, pid int) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	require.NoError(t, err)
	var zombies []string
	for _, e := range entries {
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		rest := string(stat[bytes.LastIndexByte(stat, ')')+2:])
		fields := strings.Fields(rest)
		if len(fields) > 1 && fields[0] == "Z" && fields[1] == fmt.Sprint(pid) {
			zombies = append(zombies, e.Name())
		}
	}
	return zombies
}
