package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// Docker is a reachable Docker Engine, through the API client and the CLI.
type Docker struct {
	// Client talks to the engine named by DOCKER_HOST, or the default socket.
	Client *client.Client
	// CLI is the path of the docker command-line client.
	CLI string
}

// DockerCLI returns the path of the docker client: $DOCKWARD_DOCKER_CLI, else
// Debian's /usr/bin/docker, which matches the Debian engine, else docker on PATH.
// It returns "" when there is none.
func DockerCLI() string {
	if path := os.Getenv("DOCKWARD_DOCKER_CLI"); path != "" {
		return path
	}
	if _, err := os.Stat("/usr/bin/docker"); err == nil {
		return "/usr/bin/docker"
	}
	path, err := exec.LookPath("docker")
	if err != nil {
		return ""
	}
	return path
}

// RequireDocker returns the engine after checking that it responds to a ping. It
// fails the test in CI and skips it elsewhere when there is no engine.
func RequireDocker(tb testing.TB) *Docker {
	tb.Helper()
	RequireIntegration(tb)

	cli := DockerCLI()
	if cli == "" {
		Unavailable(tb, "docker client not found")
	}
	c, err := client.New(client.FromEnv)
	if err != nil {
		Unavailable(tb, "docker client: %v", err)
	}
	tb.Cleanup(func() { c.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		Unavailable(tb, "Docker Engine not reachable at %s: %v", c.DaemonHost(), err)
	}
	return &Docker{Client: c, CLI: cli}
}

// Command returns the docker CLI command with args.
func (d *Docker) Command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, d.CLI, args...)
}

// Output runs the docker CLI with args and returns its trimmed standard
// output. It fails the test, showing standard error, when the command fails.
func (d *Docker) Output(tb testing.TB, args ...string) string {
	tb.Helper()

	var stdout, stderr bytes.Buffer
	cmd := d.Command(context.Background(), args...)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(stdout.String())
}

// ImageExists reports whether the engine has an image with this reference.
func (d *Docker) ImageExists(ref string) bool {
	cmd := d.Command(context.Background(), "image", "inspect", "--format", "{{.Id}}", ref)
	return cmd.Run() == nil
}

// RunOptions configures a test container.
type RunOptions struct {
	// Args are extra docker run flags, such as --user or --security-opt.
	Args []string
	// Network is the --network value; the default is "none". Test containers
	// get no other network than loopback.
	Network string
	// Timeout bounds the run; the default is two minutes.
	Timeout time.Duration
	// Stdin, when set, is the container's standard input (docker run -i).
	Stdin io.Reader
}

// RunResult is the outcome of a finished test container.
type RunResult struct {
	// Name is the container name, already removed when the result is returned.
	Name     string
	Stdout   string
	Stderr   string
	ExitCode int
	// Err is set when docker itself failed, for example when the container
	// could not start; ExitCode is then the docker client's exit status.
	Err error
}

// Run runs cmd in a new container of image with docker run, waits for it and
// removes it. A container that exits non-zero is not a test failure: the
// caller checks RunResult.
func (d *Docker) Run(tb testing.TB, opts RunOptions, image string, cmd ...string) RunResult {
	tb.Helper()

	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	name := ContainerName(tb)
	args := append([]string{"run", "--name", name, "--network", network(opts)}, opts.Args...)
	if opts.Stdin != nil {
		args = append(args, "-i")
	}
	args = append(args, image)
	args = append(args, cmd...)
	defer d.remove(name)

	var stdout, stderr bytes.Buffer
	c := d.Command(ctx, args...)
	c.Stdin = opts.Stdin
	c.Stdout = &stdout
	c.Stderr = &stderr
	err := c.Run()

	res := RunResult{Name: name, Stdout: stdout.String(), Stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		res.Err = fmt.Errorf("container %s timed out after %s", name, timeout)
		res.ExitCode = -1
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitCode()
		// docker run exits 125 when the daemon fails and 126 or 127 when the
		// command cannot be run; other codes are the container's own.
		if res.ExitCode >= 125 {
			res.Err = fmt.Errorf("docker run: exit status %d: %s", res.ExitCode,
				strings.TrimSpace(res.Stderr))
		}
	case err != nil:
		res.Err = err
		res.ExitCode = -1
	}
	return res
}

// Start starts a detached container of image running cmd and returns its ID.
// The container is removed when the test ends.
func (d *Docker) Start(tb testing.TB, opts RunOptions, image string, cmd ...string) string {
	tb.Helper()

	name := ContainerName(tb)
	args := append([]string{"run", "-d", "--name", name, "--network", network(opts)}, opts.Args...)
	args = append(args, image)
	args = append(args, cmd...)
	tb.Cleanup(func() { d.remove(name) })
	return d.Output(tb, args...)
}

func (d *Docker) remove(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d.Command(ctx, "rm", "-f", "-v", name).Run()
}

func network(opts RunOptions) string {
	if opts.Network == "" {
		return "none"
	}
	return opts.Network
}

// ContainerName returns a unique container name that starts with
// dockward-test- so leftovers are easy to find and remove.
func ContainerName(tb testing.TB) string {
	var b [6]byte
	rand.Read(b[:])
	return "dockward-test-" + hex.EncodeToString(b[:])
}
