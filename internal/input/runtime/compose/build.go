package compose

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/input/runtime"
)

// build reads the Dockerfile of a service with a build key, so that rules
// about the user and health check see what the built image sets. The
// image stays unknown (ImageConfig nil) when the context is remote, the
// Dockerfile is inline or it cannot be read.
func (l *load) build(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	b := svc.Build
	if b == nil || b.DockerfileInline != "" || l.opts.Dir == "" {
		return
	}
	ctx := b.Context
	if ctx == "" {
		ctx = "."
	}
	if strings.Contains(ctx, "://") || strings.HasPrefix(ctx, "git@") {
		return
	}
	name := b.Dockerfile
	if name == "" {
		name = "Dockerfile"
	}
	rel := name
	if !filepath.IsAbs(name) {
		rel = filepath.Join(ctx, name)
	}
	disk := rel
	if !filepath.IsAbs(rel) {
		disk = filepath.Join(l.opts.Dir, rel)
	}
	pos := s.pos(s.find("build"))

	if _, err := os.Stat(disk); errors.Is(err, fs.ErrNotExist) {
		// A partial checkout: the rules then report that the image may set a user.
		return
	}
	if err := checkReadable(disk); err != nil {
		c.AddNote(pos, "Dockerfile %s of the build %v, so the image's user and health check are unknown", rel, err)
		return
	}
	data, err := os.ReadFile(disk)
	if err != nil {
		c.AddNote(pos, "Dockerfile %s of the build cannot be read, so the image's user and health check are unknown", rel)
		return
	}
	df, err := dockerfile.Parse(data)
	if err != nil || len(df.Stages) == 0 {
		c.AddNote(pos, "Dockerfile %s of the build cannot be parsed, so the image's user and health check are unknown", rel)
		return
	}

	stage := df.Stages[len(df.Stages)-1]
	if b.Target != "" {
		stage = findStage(df, b.Target)
		if stage == nil {
			c.AddNote(pos, "build target %q is not a stage of %s", b.Target, rel)
			return
		}
	}
	shown := filepath.ToSlash(filepath.Join(filepath.Dir(l.path), rel))
	c.ImageConfig = imageConfig(df, stage, shown)
}

func findStage(df *dockerfile.File, name string) *dockerfile.Stage {
	for _, st := range df.Stages {
		if strings.EqualFold(st.Name, name) {
			return st
		}
	}
	return nil
}

// imageConfig returns the last USER and HEALTHCHECK of a stage and the
// stages it is built on. When neither is found and the chain starts from
// an image other than scratch, that image may set them, so they are
// unknown.
func imageConfig(df *dockerfile.File, stage *dockerfile.Stage, path string) *runtime.ImageConfig {
	ic := &runtime.ImageConfig{Ref: path}
	if stage.Name != "" {
		ic.Ref += " (stage " + stage.Name + ")"
	}
	var root *dockerfile.Stage
	for st, depth := stage, 0; st != nil && depth < len(df.Stages); st, depth = st.Parent, depth+1 {
		root = st
		for i := len(st.Instructions) - 1; i >= 0; i-- {
			in := st.Instructions[i]
			pos := runtime.Pos{Path: path, Line: in.Line}
			switch cmd := in.Command.(type) {
			case *instructions.UserCommand:
				if ic.User.Set {
					continue
				}
				if user, ok := df.ExpandInStage(st, cmd.User); ok {
					ic.User = runtime.Of(user, cmd.User, pos)
				} else {
					ic.User = runtime.UnknownAt[string](cmd.User, pos)
				}
			case *instructions.HealthCheckCommand:
				if ic.Healthcheck.Set || cmd.Health == nil {
					continue
				}
				test := cmd.Health.Test
				ic.Healthcheck = runtime.Of(runtime.Healthcheck{
					Test: test, Disabled: len(test) > 0 && test[0] == "NONE",
				}, strings.Join(test, " "), pos)
			}
		}
	}
	if root == nil || strings.EqualFold(root.Base, "scratch") {
		return ic
	}
	from := runtime.Pos{Path: path}
	if root.From != nil {
		from.Line = root.From.Line
	}
	if !ic.User.Set {
		ic.User = runtime.UnknownAt[string]("", from)
	}
	if !ic.Healthcheck.Set {
		ic.Healthcheck = runtime.UnknownAt[runtime.Healthcheck]("", from)
	}
	return ic
}
