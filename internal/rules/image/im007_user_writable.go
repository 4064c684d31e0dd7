package image

import (
	"fmt"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

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
		"working directory, /app, /opt, /srv, /usr, /etc and the program directories. Scratch, " +
		"cache, log and state directories are excluded, and so is the user's home when it lies " +
		"under /home, /root, /var/lib or /nonexistent and the application does not run from it.",
	Fix: "Keep code owned by root and read-only for the runtime user: `COPY --chown=root:root " +
		"--chmod=0755 app /app`, and give the user only the directories it writes, such as " +
		"/app/data.",
	Bad:  "FROM node:22-slim\nCOPY --chown=node:node . /app\nUSER node",
	Good: "FROM node:22-slim\nCOPY --chown=root:root . /app\nRUN install -d -o node /app/data\nUSER node",
	Limits: "World-writable files are reported by IM006 instead. A user set only at run time is " +
		"not known. A home counts as the application's when it is the working directory or a " +
		"parent of it, or when an absolute path in the entrypoint or command lies inside it. An " +
		"application started from the home by a relative path or a script is not recognised, " +
		"and its files under the home are not reported. Only the first 25 paths get a finding " +
		"each; one more finding counts the rest.",
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
	if acc, ok := r.accounts.byUID(u.uid); ok && acc.home != "" {
		home := path.Clean("/" + acc.home)
		switch {
		case home == "/":
		case runsFromHome(home, cfg.Config):
			roots = append(roots, home)
		case usualHome(home):
			excluded = append(excluded, home)
		}
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

// usualHome reports whether a home directory lies where homes that hold
// no application code usually do. A home such as /app, set with
// useradd -d /app, is where the application lives.
func usualHome(home string) bool {
	return home == "/root" || home == "/nonexistent" || strings.HasPrefix(home, "/root/") ||
		strings.HasPrefix(home, "/home/") || strings.HasPrefix(home, "/var/lib/")
}

// runsFromHome reports whether the application runs from a home
// directory: the working directory is the home or inside it, or an
// absolute path in the entrypoint or command lies inside it.
func runsFromHome(home string, cfg v1.Config) bool {
	if cfg.WorkingDir != "" && under(path.Clean("/"+cfg.WorkingDir), []string{home}) {
		return true
	}
	for _, arg := range append(slices.Clone(cfg.Entrypoint), cfg.Cmd...) {
		for _, word := range strings.Fields(arg) {
			if strings.HasPrefix(word, "/") && under(path.Clean(word), []string{home}) {
				return true
			}
		}
	}
	return false
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
