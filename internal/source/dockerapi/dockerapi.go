// Package dockerapi connects to a Docker Engine through its HTTP API. It
// is where live containers and local images come from: the client reads
// DOCKER_HOST, DOCKER_API_VERSION, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY
// like the docker CLI does, and negotiates the API version on first use.
package dockerapi

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/moby/moby/client"
)

// ErrUnreachable is returned when the engine does not respond.
var ErrUnreachable = errors.New("docker engine unreachable")

// PingTimeout bounds the first contact with the engine, so a stale
// DOCKER_HOST fails fast instead of hanging.
const PingTimeout = 10 * time.Second

// Connect returns a client for the engine named by DOCKER_HOST (the local
// socket when unset) after checking that the engine responds. The caller
// closes the client.
func Connect(ctx context.Context) (*client.Client, error) {
	c, err := client.New(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("configuring docker client from DOCKER_HOST %q: %w",
			os.Getenv(client.EnvOverrideHost), err)
	}

	pctx, cancel := context.WithTimeout(ctx, PingTimeout)
	defer cancel()
	if _, err := c.Ping(pctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w at %s: %v; start dockerd or set DOCKER_HOST to a running engine",
			ErrUnreachable, c.DaemonHost(), err)
	}
	return c, nil
}
