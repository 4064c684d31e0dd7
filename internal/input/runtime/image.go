package runtime

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/input/dockerfile"
)

// ImageConfigFromDockerfile returns the USER and HEALTHCHECK that the
// target stage of a Dockerfile leaves in its image (the last stage when
// target is empty), following the stages it is built on. When the chain
// starts from an image other than scratch and sets no USER or
// HEALTHCHECK itself, Base names that image, which may set them.
func ImageConfigFromDockerfile(path string, data []byte, target string) (*ImageConfig, error) {
	f, err := dockerfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parsing Dockerfile %q: %w", path, err)
	}
	if len(f.Stages) == 0 {
		return nil, fmt.Errorf("parsing Dockerfile %q: %w", path, dockerfile.ErrEmpty)
	}
	stage := f.Stages[len(f.Stages)-1]
	if target != "" {
		stage = nil
		for _, s := range f.Stages {
			if s.Name == strings.ToLower(target) {
				stage = s
			}
		}
		if stage == nil {
			return nil, fmt.Errorf("Dockerfile %q has no stage %q", path, target)
		}
	}

	var chain []*dockerfile.Stage
	for s := stage; s != nil && len(chain) <= len(f.Stages); s = s.Parent {
		chain = append([]*dockerfile.Stage{s}, chain...)
	}
	ic := &ImageConfig{Ref: path}
	if stage.Name != "" {
		ic.Ref = path + " (stage " + stage.Name + ")"
	}
	if root := chain[0]; !strings.EqualFold(root.Base, "scratch") {
		ic.Base = root.Base
		if !root.BaseKnown {
			ic.Base = root.BaseRaw
		}
	}
	for _, s := range chain {
		for _, in := range s.Instructions {
			pos := Pos{Path: path, Line: in.Line, Column: 1, EndLine: in.EndLine}
			switch cmd := in.Command.(type) {
			case *instructions.UserCommand:
				ic.User = Of(cmd.User, cmd.User, pos)
			case *instructions.HealthCheckCommand:
				if cmd.Health == nil {
					continue
				}
				test := cmd.Health.Test
				hc := Healthcheck{Test: test, Disabled: len(test) > 0 && test[0] == "NONE"}
				ic.Healthcheck = Of(hc, "", pos)
			case *instructions.ExposeCommand:
				ic.ExposedPorts = append(ic.ExposedPorts, exposedPorts(cmd.Ports)...)
			}
		}
	}
	return ic, nil
}

// exposedPorts returns EXPOSE ports as the engine lists them, with the
// protocol: "80" becomes "80/tcp". A port written through a variable is
// kept as written.
func exposedPorts(ports []string) []string {
	out := make([]string, 0, len(ports))
	for _, p := range ports {
		switch {
		case strings.Contains(p, "$"):
		case strings.Contains(p, "/"):
			p = strings.ToLower(p)
		default:
			p += "/tcp"
		}
		out = append(out, p)
	}
	return out
}
