package image

import (
	"fmt"
	"path"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/rule"
)

var im007 = &rule.Rule{
	ID: "IM007", Slug: "image-app-writable-by-user", Severity: finding.Medium, Kind: rule.KindImage,
	Title: "Application files writable by the user the image runs as",
	Description: "The image runs as an unprivileged user, but that user owns, or shares a group " +
		"with write permission on, the application's programs and code. An attacker who gets " +
		"code execution in the process can then rewrite the application itself and persist in " +
		"the container. Application files are executables anywhere, and every file under the " +
		"working directory, /app, /opt, /srv, /usr, /etc and the program directories. The " +
		"user's home directory and scratch, cache, log and state directories are excluded.",
	Fix: "Keep code owned by root and read-only for the runtime user: `COPY --chown=root:root " +
		"--chmod=0755 app /app`, and give the user only the directories it writes, such as " +
		"/app/data.",
	Bad:  "FROM node:22-slim\nCOPY --chown=node:node . /app\nUSER node",
	Good: "FROM node:22-slim\nCOPY --chown=root:root . /app\nRUN install -d -o node /app/data\nUSER node",
	Limits: "World-writable files are reported by IM006 instead. A user set only at run time is " +
		"not known. Only the first 25 paths get a finding each; one more finding counts the rest.",
}

// appDirs hold application code when the working directory is unknown.
var appDirs = []string{"/app", "/opt", "/srv", "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64"}

// stateDirs are written at run time by design.
var stateDirs = []string{"/tmp", "/var/tmp", "/run", "/var/run", "/var/cache", "/var/log", "/var/lib",
	"/var/spool", "/proc", "/sys", "/dev"}

func checkUserWritable(r *result) {
	cfg := r.in.Config
	if cfg == nil {
		return
	}
	u := r.accounts.user(cfg.Config.User)
	if !u.known || u.uid == 0 {
		return
	}
	roots := appDirs
	if wd := path.Clean("/" + cfg.Config.WorkingDir); wd != "/" {
		roots = append([]string{wd}, roots...)
	}
	var excluded []string
	excluded = append(excluded, stateDirs...)
	if acc, ok := r.accounts.byUID(u.uid); ok && acc.home != "" && acc.home != "/" {
		excluded = append(excluded, path.Clean(acc.home))
	}

	var hits []*inimage.Entry
	for _, e := range r.in.Tree.Entries() {
		if !e.Mode.IsRegular() && !e.Mode.IsDir() || e.Mode.Perm()&0o002 != 0 {
			continue
		}
		writable := e.UID == u.uid && e.Mode.Perm()&0o200 != 0 || e.GID == u.gid && e.Mode.Perm()&0o020 != 0
		if !writable || under(e.Path, excluded) {
			continue
		}
		executable := e.Mode.IsRegular() && e.Mode.Perm()&0o111 != 0
		if executable || under(e.Path, roots) {
			hits = append(hits, e)
		}
	}
	who := fmt.Sprintf("%q (UID %d, GID %d)", u.spec, u.uid, u.gid)
	reportPaths(r, im007, hits, func(e *inimage.Entry) string {
		how := "owns"
		if e.UID != u.uid {
			how = "has group write on"
		}
		kind := "file"
		if e.Mode.IsDir() {
			kind = "directory"
		}
		return fmt.Sprintf("the image user %s %s the %s %s (mode %s)", who, how, kind, e.Path, modeString(e.Mode))
	}, "application paths writable by the image user "+who)
}

// under reports whether p is one of dirs or inside one.
func under(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, strings.TrimSuffix(d, "/")+"/") {
			return true
		}
	}
	return false
}
