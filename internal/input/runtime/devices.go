package runtime

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/docker/cli/opts"
	"github.com/moby/moby/api/types/container"
)

// deviceCgroupRule is the syntax the docker CLI accepts for
// --device-cgroup-rule (docker CLI v29, cli/command/container/opts.go).
var deviceCgroupRule = regexp.MustCompile(`^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$`)

// ParseDeviceCgroupRule reads one device cgroup rule such as "c 10:200 rwm".
// An unknown rule keeps only its text.
func ParseDeviceCgroupRule(raw string, unknown bool, pos Pos) (DeviceCgroupRule, error) {
	r := DeviceCgroupRule{Raw: raw, Unknown: unknown, Pos: pos}
	if unknown {
		return r, nil
	}
	m := deviceCgroupRule.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return r, fmt.Errorf("invalid device cgroup rule %q: the format is TYPE MAJOR:MINOR ACCESS, "+
			"such as \"c 10:200 rwm\"", raw)
	}
	r.Type, r.Major, r.Minor, r.Access = m[1], m[2], m[3], m[4]
	return r, nil
}

// AddDeviceCgroupRule parses raw and adds it, or a note when it is invalid.
func (c *Container) AddDeviceCgroupRule(raw string, unknown bool, pos Pos) {
	r, err := ParseDeviceCgroupRule(raw, unknown, pos)
	if err != nil {
		c.AddNote(pos, "%v", err)
		return
	}
	c.DeviceCgroupRules = append(c.DeviceCgroupRules, r)
}

// AddAPIDeviceRequest adds an Engine API device request, which --gpus,
// compose and docker inspect share.
func (c *Container) AddAPIDeviceRequest(d container.DeviceRequest, raw string, pos Pos) {
	c.DeviceRequests = append(c.DeviceRequests, DeviceRequest{Driver: d.Driver, Count: d.Count,
		DeviceIDs: d.DeviceIDs, Capabilities: d.Capabilities, Raw: raw, Pos: pos})
}

func applyDeviceCgroupRule(c *Container, v Word) { c.AddDeviceCgroupRule(v.Text, v.Unknown, v.Pos) }

// applyGPUs reads --gpus with the CLI's own parser: "all", a count, or
// key=value fields such as device=0,1.
func applyGPUs(c *Container, v Word) {
	if v.Unknown {
		c.DeviceRequests = append(c.DeviceRequests, DeviceRequest{Unknown: true, Raw: v.Text, Pos: v.Pos})
		return
	}
	var g opts.GpuOpts
	if err := g.Set(v.Text); err != nil {
		c.AddNote(v.Pos, "invalid --gpus %q: %v", v.Text, err)
		return
	}
	for _, d := range g.Value() {
		c.AddAPIDeviceRequest(d, v.Text, v.Pos)
	}
}

// applyVolumesFrom reads --volumes-from CONTAINER[:ro|:rw]. The mounts of
// that container are not visible in the command line, so a note states
// that the mount rules cannot audit them.
func applyVolumesFrom(c *Container, v Word) {
	c.AddVolumesFrom(stringValue(v))
}

// AddVolumesFrom records a container whose mounts c gets. Unless the
// mounts of c come from the engine, which lists the inherited ones too,
// a note states that they are not audited.
func (c *Container) AddVolumesFrom(v Value[string]) {
	c.VolumesFrom = append(c.VolumesFrom, v)
	if c.Source == SourceInspect || c.Source == SourceLive {
		return
	}
	name := v.Raw
	if v.Known() {
		name = strings.TrimSuffix(strings.TrimSuffix(v.V, ":ro"), ":rw")
	}
	c.NoteHiddenMounts(v.Pos, "container "+name)
}

// NoteHiddenMounts records that the mounts inherited from another
// container are not visible, so the mount rules cannot judge them.
func (c *Container) NoteHiddenMounts(pos Pos, from string) {
	c.AddNote(pos, "mounts inherited from %s are not visible here, so the docker socket and "+
		"sensitive host path checks (RT022, RT023) do not cover them", from)
}
