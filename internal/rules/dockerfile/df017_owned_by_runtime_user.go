package dockerfile

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df017 = &rule.Rule{
	ID: "DF017", Slug: "files-owned-by-runtime-user", Severity: finding.Medium, Kind: rule.KindDockerfile,
	Title: "Application files owned by the user the container runs as",
	Description: "When the files of the application belong to the user the container runs as " +
		"(`COPY --chown=app`, or `chown -R app` on copied files), a compromised process can " +
		"rewrite its own code and configuration, and the change survives in the container " +
		"until it is recreated.",
	Fix: "Leave application files owned by root and readable by all (`COPY app/ /app/`), and give " +
		"the runtime user write access only to the directories it must write, such as " +
		"`/app/data` or a volume.",
	Bad:  "FROM node:24-alpine\nCOPY --chown=node:node . /app\nUSER node",
	Good: "FROM node:24-alpine\nCOPY . /app\nRUN mkdir /app/data && chown node:node /app/data\nUSER node",
	Limits: "RUN chown is reported only when it targets a COPY or ADD destination or a " +
		"directory above one; paths below a destination are usually data directories the " +
		"application must write.",
}

func checkOwnedByRuntimeUser(c *Context) {
	userIn, user, known := c.finalUser()
	if userIn == nil || !known {
		return
	}
	uid, _, _ := strings.Cut(user, ":")
	if uid == "root" || isZero(uid) {
		return
	}
	for _, s := range c.chain() {
		var dests []string
		for _, in := range s.Instructions {
			switch cmd := in.Command.(type) {
			case *instructions.CopyCommand:
				dests = append(dests, absDest(c, in, cmd.DestPath))
				if cmd.From == "" && chownUser(cmd.Chown) == uid {
					c.report(df017, in, "COPY --chown=%s gives the copied files to the runtime user %s", cmd.Chown, user)
				}
			case *instructions.AddCommand:
				dests = append(dests, absDest(c, in, cmd.DestPath))
				if chownUser(cmd.Chown) == uid {
					c.report(df017, in, "ADD --chown=%s gives the added files to the runtime user %s", cmd.Chown, user)
				}
			case *instructions.RunCommand:
				c.runChowns(in, uid, user, dests)
			}
		}
	}
}

func (c *Context) runChowns(in *dockerfile.Instruction, uid, user string, dests []string) {
	for _, cmd := range runCommands(in) {
		if cmd.Name != "chown" {
			continue
		}
		ops := cmd.Operands()
		if len(ops) < 2 || chownUser(ops[0]) != uid {
			continue
		}
		for _, target := range ops[1:] {
			if coversAny(absDest(c, in, target), dests) {
				c.reportAt(df017, in, cmd.Line, "chown %s %s gives copied application files to the runtime user %s",
					ops[0], target, user)
				break
			}
		}
	}
}

// chownUser returns the user part of a chown owner, "app" for "app:app".
func chownUser(owner string) string {
	u, _, _ := strings.Cut(owner, ":")
	u, _, _ = strings.Cut(u, ".")
	return u
}

func absDest(c *Context, in *dockerfile.Instruction, dest string) string {
	if path.IsAbs(dest) {
		return path.Clean(dest)
	}
	wd := "/"
	for _, s := range c.chain() {
		for _, other := range s.Instructions {
			if other.Line >= in.Line {
				break
			}
			if w, ok := other.Command.(*instructions.WorkdirCommand); ok {
				if path.IsAbs(w.Path) {
					wd = w.Path
				} else {
					wd = path.Join(wd, w.Path)
				}
			}
		}
	}
	return path.Join(wd, dest)
}

// coversAny reports whether a chown target is a COPY or ADD destination or
// a directory above one, so the copied files change owner.
func coversAny(target string, dests []string) bool {
	t := path.Clean(strings.TrimSuffix(target, "*"))
	for _, d := range dests {
		if t == "/" {
			return true
		}
		if d == t || strings.HasPrefix(d, t+"/") {
			return true
		}
	}
	return false
}
