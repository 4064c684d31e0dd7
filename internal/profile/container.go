package profile

import (
	"bytes"
	"context"
	"crypto/rand"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Paths inside a traced container.
const (
	containerBinary = "/.dockward/dockward"
	containerOutDir = "/.dockward/out"
)

// ImageOptions configures TraceImage and VerifyImage.
type ImageOptions struct {
	Image string
	// Args replace the image's CMD; the image's ENTRYPOINT stays.
	Args []string
	// Network is the docker run --network value; the default is "none".
	Network string
	// RunArgs are extra docker run flags, such as --user or --cap-add.
	RunArgs []string
	// Timeout bounds the run; the default is two minutes.
	Timeout time.Duration
	// DockerCLI is the docker client; the default is docker on PATH.
	DockerCLI string
	// Binary is a statically linked dockward to mount into the container
	// (TraceImage only); the default is the running executable.
	Binary string
}

func (o *ImageOptions) defaults() {
	if o.Network == "" {
		o.Network = "none"
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.DockerCLI == "" {
		o.DockerCLI = "docker"
	}
}

// TraceImage traces a container of opts.Image. dockward's own static binary
// is mounted into the container and replaces its entrypoint for this run
// only: it runs the image's ENTRYPOINT and CMD (or opts.Args) under
// `dockward trace` and writes the trace to a mounted directory.
func TraceImage(ctx context.Context, opts ImageOptions) (*Trace, error) {
	opts.defaults()
	bin, err := staticBinary(opts.Binary)
	if err != nil {
		return nil, err
	}
	command, err := imageCommand(ctx, opts)
	if err != nil {
		return nil, err
	}

	out, err := os.MkdirTemp("", "dockward-trace-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	// The image's user, which may not be root, writes the trace.
	if err := os.Chmod(out, 0o777); err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, opts.Timeout+30*time.Second)
	defer cancel()
	args := []string{"run", "--rm", "--name", containerName("trace"),
		"--network", opts.Network,
		"-v", bin + ":" + containerBinary + ":ro",
		"-v", out + ":" + containerOutDir,
		"--entrypoint", containerBinary}
	args = append(args, opts.RunArgs...)
	args = append(args, opts.Image, "trace", "--quiet",
		"--timeout", opts.Timeout.String(),
		"--output", containerOutDir+"/trace.json", "--")
	args = append(args, command...)

	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, opts.DockerCLI, args...)
	cmd.Stderr = &stderr
	runErr := cmd.Run()

	f, err := os.Open(filepath.Join(out, "trace.json"))
	if err != nil {
		return nil, fmt.Errorf("tracing image %q: no trace written: %v: %s",
			opts.Image, runErr, strings.TrimSpace(stderr.String()))
	}
	defer f.Close()
	t, err := ReadTrace(f)
	if err != nil {
		return nil, err
	}
	t.Image = opts.Image
	return t, nil
}

// imageCommand returns the image's ENTRYPOINT followed by opts.Args, or by
// its CMD when opts.Args is empty.
func imageCommand(ctx context.Context, opts ImageOptions) ([]string, error) {
	out, err := exec.CommandContext(ctx, opts.DockerCLI, "image", "inspect",
		"--format", "{{json .Config}}", opts.Image).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("inspecting image %q: %s", opts.Image, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("inspecting image %q: %w", opts.Image, err)
	}
	var config struct {
		Entrypoint []string
		Cmd        []string
	}
	if err := json.Unmarshal(out, &config); err != nil {
		return nil, fmt.Errorf("decoding config of image %q: %w", opts.Image, err)
	}
	command := append([]string{}, config.Entrypoint...)
	if len(opts.Args) > 0 {
		command = append(command, opts.Args...)
	} else {
		command = append(command, config.Cmd...)
	}
	if len(command) == 0 {
		return nil, fmt.Errorf("image %q has no ENTRYPOINT or CMD; give the command after --", opts.Image)
	}
	return command, nil
}

// staticBinary returns path, or the running executable when path is empty,
// after checking that it is statically linked and so runs in any image.
func staticBinary(path string) (string, error) {
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("finding the dockward binary: %w", err)
		}
		path = exe
	}
	path, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	f, err := elf.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading dockward binary %q: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "", fmt.Errorf("dockward binary %q is dynamically linked, so it cannot run in "+
				"the image: build it with CGO_ENABLED=0", path)
		}
	}
	return path, nil
}

func containerName(purpose string) string {
	var b [6]byte
	rand.Read(b[:])
	return "dockward-" + purpose + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
}
