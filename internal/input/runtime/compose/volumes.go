package compose

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/dockward/dockward/internal/input/runtime"
)

var mountTypes = map[string]runtime.MountType{
	types.VolumeTypeBind:      runtime.MountBind,
	types.VolumeTypeVolume:    runtime.MountVolume,
	types.VolumeTypeNamedPipe: runtime.MountNpipe,
	types.VolumeTypeImage:     runtime.MountImage,
}

// volumes maps the volumes key. tmpfs volumes become tmpfs mounts; the
// long syntax can set only their size and mode, never noexec or nosuid.
func (l *load) volumes(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("volumes")
	for _, v := range svc.Volumes {
		it := matchVolume(s, items, v)
		unknown := s.l.vars.unresolved(it.raw + scalarAt(it, "source") + scalarAt(it, "target"))

		if v.Type == types.VolumeTypeTmpfs {
			tm := runtime.Tmpfs{Target: v.Target, OptionsKnown: true, Unknown: unknown, Pos: s.itemPos(it)}
			if v.Tmpfs != nil && v.Tmpfs.Size != 0 {
				tm.Options = append(tm.Options, fmt.Sprintf("size=%d", v.Tmpfs.Size))
			}
			if v.Tmpfs != nil && v.Tmpfs.Mode != 0 {
				tm.Options = append(tm.Options, fmt.Sprintf("mode=%o", v.Tmpfs.Mode))
			}
			c.Tmpfs = append(c.Tmpfs, tm)
			continue
		}

		m := runtime.Mount{
			Type:     mountTypes[v.Type],
			Source:   v.Source,
			Target:   v.Target,
			ReadOnly: v.ReadOnly,
			Unknown:  unknown,
			Raw:      it.raw,
			Pos:      s.itemPos(it),
		}
		if m.Type == "" {
			m.Type = runtime.MountOther
		}
		if v.Bind != nil {
			m.Propagation = v.Bind.Propagation
		}
		c.Mounts = append(c.Mounts, m)
	}
}

// matchVolume finds the entry that wrote a volume. compose keeps the last
// entry for each target, so the search runs from the end. An entry must
// agree on the target, and on the source and type when it names them.
func matchVolume(s *service, items []item, v types.ServiceVolumeConfig) item {
	sameTarget := func(t string) bool {
		return path.Clean(t) == path.Clean(v.Target)
	}
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		if it.raw == "" {
			typ := s.l.vars.expand(scalarAt(it, "type"))
			if sameTarget(s.l.vars.expand(scalarAt(it, "target"))) && (typ == "" || typ == v.Type) {
				return it
			}
			continue
		}
		parts := strings.Split(s.l.vars.expand(it.raw), ":")
		switch {
		case len(parts) == 1 && v.Source == "" && sameTarget(parts[0]):
			return it
		case len(parts) >= 2 && sameTarget(parts[1]) && parts[0] == v.Source:
			return it
		}
	}
	for i := len(items) - 1; i >= 0; i-- {
		if strings.Contains(s.l.vars.expand(items[i].raw), v.Target) {
			return items[i]
		}
	}
	return item{}
}
