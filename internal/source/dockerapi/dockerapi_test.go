package dockerapi

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/require"
)

func TestConnectUnreachableEngine(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "missing.sock")
	t.Setenv("DOCKER_HOST", "unix://"+sock)

	_, err := Connect(context.Background())
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrUnreachable), "error %v is not ErrUnreachable", err)
	require.Contains(t, err.Error(), sock)
	require.Contains(t, err.Error(), "DOCKER_HOST")
}

func TestConnectInvalidHost(t *testing.T) {
	t.Setenv("DOCKER_HOST", "bogus://x")

	_, err := Connect(context.Background())
	require.ErrorContains(t, err, "DOCKER_HOST")
}

func TestIntegrationConnectEngine(t *testing.T) {
	c, err := Connect(context.Background())
	if errors.Is(err, ErrUnreachable) {
		t.Skipf("no Docker Engine: %v (scripts/test starts one)", err)
	}
	require.NoError(t, err)
	defer c.Close()

	_, err = c.ContainerList(context.Background(), client.ContainerListOptions{})
	require.NoError(t, err)
}
