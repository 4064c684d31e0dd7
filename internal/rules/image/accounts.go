package image

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"

	inimage "github.com/dockward/dockward/internal/input/image"
)

// Account databases read from the image.
const (
	passwdPath = "/etc/passwd"
	groupPath  = "/etc/group"
	shadowPath = "/etc/shadow"
)

// account is one line of /etc/passwd.
type account struct {
	name     string
	password string // the second field: x, *, a hash, or empty
	uid, gid int
	home     string
	line     int
}

// accounts is the account database of the image.
type accounts struct {
	users   []account
	byName  map[string]account
	groups  map[string]int // group name to GID
	shadow  map[string]shadowLine
	passwd  *inimage.Entry // nil when the image has no /etc/passwd
	shadowE *inimage.Entry
}

type shadowLine struct {
	password string
	line     int
}

// readAccounts parses the account files. Malformed lines are skipped with
// a note; their text is never copied, since it may hold a password hash.
func readAccounts(r *result) *accounts {
	a := &accounts{byName: map[string]account{}, groups: map[string]int{}, shadow: map[string]shadowLine{}}
	if e, ok := r.in.Tree.Resolve(passwdPath); ok && e.Content != nil {
		a.passwd = e
		eachLine(e.Content, func(n int, line string) {
			f := strings.Split(line, ":")
			uid, uerr := strconv.Atoi(f[min(2, len(f)-1)])
			gid, gerr := strconv.Atoi(f[min(3, len(f)-1)])
			if len(f) != 7 || uerr != nil || gerr != nil || f[0] == "" {
				r.note("%s line %d: malformed entry skipped: expected name:password:UID:GID:comment:home:shell "+
					"with numeric UID and GID", passwdPath, n)
				return
			}
			acc := account{name: f[0], password: f[1], uid: uid, gid: gid, home: f[5], line: n}
			a.users = append(a.users, acc)
			if _, dup := a.byName[acc.name]; !dup {
				a.byName[acc.name] = acc
			}
		})
	}
	if e, ok := r.in.Tree.Resolve(groupPath); ok && e.Content != nil {
		eachLine(e.Content, func(n int, line string) {
			f := strings.Split(line, ":")
			if len(f) < 3 {
				r.note("%s line %d: malformed entry skipped: expected name:password:GID:members", groupPath, n)
				return
			}
			if gid, err := strconv.Atoi(f[2]); err == nil {
				a.groups[f[0]] = gid
			}
		})
	}
	if e, ok := r.in.Tree.Resolve(shadowPath); ok && e.Content != nil {
		a.shadowE = e
		eachLine(e.Content, func(n int, line string) {
			f := strings.Split(line, ":")
			if len(f) < 2 || f[0] == "" {
				r.note("%s line %d: malformed entry skipped: expected name:password:...", shadowPath, n)
				return
			}
			a.shadow[f[0]] = shadowLine{password: f[1], line: n}
		})
	}
	return a
}

// eachLine calls fn for every line that is neither blank nor a comment,
// with its 1-based number.
func eachLine(data []byte, fn func(n int, line string)) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fn(n, line)
	}
}

// runtimeUser is the user an image's processes start as.
type runtimeUser struct {
	spec  string // the config's User, such as "app" or "1000:1000"
	uid   int
	gid   int
	known bool // false when a name is not in /etc/passwd
}

// user resolves the config's User against the account files. An empty
// User means root, as the Docker Engine runs it.
func (a *accounts) user(spec string) runtimeUser {
	u := runtimeUser{spec: spec, known: true}
	name, group, hasGroup := strings.Cut(strings.TrimSpace(spec), ":")
	switch {
	case name == "":
		u.uid, u.gid = 0, 0
	default:
		if n, err := strconv.Atoi(name); err == nil {
			// The Docker Engine starts a UID missing from /etc/passwd with
			// GID 0 unless the User names a group.
			u.uid, u.gid = n, 0
			if acc, ok := a.byUID(n); ok {
				u.gid = acc.gid
			}
		} else if acc, ok := a.byName[name]; ok {
			u.uid, u.gid = acc.uid, acc.gid
		} else if name == "root" {
			u.uid, u.gid = 0, 0
		} else {
			u.known = false
		}
	}
	if hasGroup {
		if n, err := strconv.Atoi(group); err == nil {
			u.gid = n
		} else if gid, ok := a.groups[group]; ok {
			u.gid = gid
		}
	}
	return u
}

func (a *accounts) byUID(uid int) (account, bool) {
	for _, acc := range a.users {
		if acc.uid == uid {
			return acc, true
		}
	}
	return account{}, false
}
