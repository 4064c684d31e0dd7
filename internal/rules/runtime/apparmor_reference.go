package runtime

import (
	"bytes"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/dockward/dockward/internal/engine"
	aainput "github.com/dockward/dockward/internal/input/apparmor"
	rt "github.com/dockward/dockward/internal/input/runtime"
	aarules "github.com/dockward/dockward/internal/rules/apparmor"
)

// checkAppArmorReference looks up the AppArmor profile a container names
// among the profiles in the project. The profile that declares the name is
// linted. A name that no profile declares is RT010 when the project has
// AppArmor profiles, since a profile kept only on the host is not visible.
func checkAppArmorReference(c *rt.Container, e *emitter) {
	a := c.Security.AppArmor
	if !a.Known() || a.V.Kind != rt.ProfileNamed || e.ctx.AppArmorProfiles == nil {
		return
	}
	profiles := e.ctx.AppArmorProfiles()
	if len(profiles) == 0 {
		return
	}
	name := strings.TrimPrefix(a.V.Name, "localhost/")
	var declared []string
	for _, p := range profiles {
		if p.File.HasProfile(name) {
			fs, _, err := aarules.Lint(p.Path, p.Data, aarules.Options{})
			if err == nil {
				e.out = append(e.out, fs...)
			}
			return
		}
		declared = append(declared, p.File.Names()...)
	}
	slices.Sort(declared)
	e.at(a.Pos, "AppArmor profile %q is declared by no profile in the project (declared: %s); the host "+
		"must load it, or docker run fails", name, strings.Join(slices.Compact(declared), ", "))
}

// ProjectProfile is an AppArmor profile file found in the project.
type ProjectProfile struct {
	Path string // as a walk of the tree shows it
	Data []byte
	File *aainput.File
}

// maxProfileSize bounds the files read while looking for AppArmor profiles,
// and maxProfileSearch the entries visited, since a file audited on its
// own makes its whole directory the project.
const (
	maxProfileSize   = 1 << 20
	maxProfileSearch = 20000
)

// projectProfiles finds AppArmor profiles under the project root once per
// run; env is shared by every file of one walked tree.
var projectProfiles sync.Map // *engine.Env -> func() []ProjectProfile

func appArmorProfilesOf(env *engine.Env, prefix string) func() []ProjectProfile {
	load, _ := projectProfiles.LoadOrStore(env, sync.OnceValue(func() []ProjectProfile {
		var out []ProjectProfile
		visited := 0
		_ = fs.WalkDir(env.Root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
			visited++
			if visited > maxProfileSearch {
				if env.Logger != nil {
					env.Logger.Debug("stopped looking for AppArmor profiles", slog.Int("visited", visited))
				}
				return fs.SkipAll
			}
			if err != nil {
				return nil
			}
			if d.IsDir() {
				switch d.Name() {
				case ".git", "vendor", "node_modules", "third_party":
					return fs.SkipDir
				}
				return nil
			}
			info, err := d.Info()
			if err != nil || !info.Mode().IsRegular() || info.Size() > maxProfileSize {
				return nil
			}
			data, err := fs.ReadFile(env.Root.FS(), p)
			if err != nil || bytes.IndexByte(data, 0) >= 0 || !aarules.Detect(data) {
				return nil
			}
			display := prefix + p
			f, err := aainput.Parse(display, data, aainput.Options{Dir: path.Dir(display)})
			if err == nil && len(f.Profiles) > 0 {
				out = append(out, ProjectProfile{Path: display, Data: data, File: f})
			}
			return nil
		})
		return out
	}))
	return load.(func() []ProjectProfile)
}
