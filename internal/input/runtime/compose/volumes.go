package compose

import (
	"fmt"
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
		it, _ := s.match(items, func(e string, it item) bool {
			if it.raw == "" {
				return s.l.vars.expand(scalarAt(it, "target")) == v.Target
			}
			return strings.Contains(e, ":"+v.Target) || e == v.Target
		})
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
