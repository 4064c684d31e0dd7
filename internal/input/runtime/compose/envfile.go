package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/dockward/dockward/internal/input/runtime"
)

// envFiles records the service's env_file entries. compose-go does not
// read them here, because the loader skips resolving the environment
// (SkipResolveEnvironment), which would read any path on disk and take
// names without a value from the environment it is given. The runtime
// analyzer reads them later, from inside the scanned tree only.
func (l *load) envFiles(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("env_file")
	for _, ef := range svc.EnvFiles {
		it, _ := s.match(items, func(e string, it item) bool {
			return e == ef.Path || s.l.vars.expand(scalarAt(it, "path")) == ef.Path
		})
		raw := it.raw
		if raw == "" {
			raw = scalarAt(it, "path")
		}
		format := runtime.EnvFileCompose
		if ef.Format == "raw" {
			format = runtime.EnvFileRaw
		}
		path, unknown := ef.Path, s.l.vars.unresolved(raw)
		if unknown && raw != "" {
			// The interpolated path, such as /.env for ${DIR}/.env, is
			// not the file meant; show it as written.
			path = raw
		}
		c.EnvFiles = append(c.EnvFiles, runtime.EnvFile{
			Path: path, Format: format, Required: bool(ef.Required),
			Unknown: unknown, Pos: s.itemPos(it),
		})
	}
}
