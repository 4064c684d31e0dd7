package dockerapi

import (
	"context"
	"fmt"
	"sync"

	"github.com/moby/moby/client"
)

// Inspected is one container as the engine reports it: the decoded
// response and the JSON it came from.
type Inspected = client.ContainerInspectResult

// inspectWorkers bounds concurrent inspect requests; the engine serves
// them from memory, so a few in flight hide the round trips.
const inspectWorkers = 8

// InspectRunning returns every running container on the engine, in the
// order the engine lists them.
func InspectRunning(ctx context.Context, c *client.Client) ([]Inspected, error) {
	list, err := c.ContainerList(ctx, client.ContainerListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing containers: %w", err)
	}
	ids := make([]string, len(list.Items))
	for i, s := range list.Items {
		ids[i] = s.ID
	}
	return Inspect(ctx, c, ids)
}

// Inspect returns the named containers (names or IDs) in the given order.
// It fails on the first container that does not exist.
func Inspect(ctx context.Context, c *client.Client, refs []string) ([]Inspected, error) {
	out := make([]Inspected, len(refs))
	errs := make([]error, len(refs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(inspectWorkers, len(refs)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = c.ContainerInspect(ctx, refs[i], client.ContainerInspectOptions{})
				if errs[i] != nil {
					errs[i] = fmt.Errorf("inspecting container %q: %w", refs[i], errs[i])
				}
			}
		})
	}
	for i := range refs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
