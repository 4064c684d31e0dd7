// Command dockward hardens containers across their whole life: Dockerfiles,
// runtime settings, kernel profiles, images and secrets.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/dockward/dockward/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
