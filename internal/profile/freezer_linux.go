package profile

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const cgroupRoot = "/sys/fs/cgroup"

// freezer is a frozen cgroup that a container is started under, with
// docker run --cgroup-parent. The container's first process freezes as soon
// as the runtime moves it into the cgroup, before it enters the container's
// namespaces, installs the seccomp filter and executes the workload, so a
// tracer can attach to it from the host before any of that happens.
type freezer struct {
	// name is the cgroup parent, relative to each hierarchy's root.
	name string
	// dir is the freezer cgroup directory (cgroup v1) or the cgroup
	// directory (cgroup v2).
	dir string
	v2  bool
}

func newFreezer(name string) (*freezer, error) {
	f := &freezer{name: name}
	if _, err := os.Stat(filepath.Join(cgroupRoot, "cgroup.controllers")); err == nil {
		f.v2 = true
		f.dir = filepath.Join(cgroupRoot, name)
	} else {
		f.dir = filepath.Join(cgroupRoot, "freezer", name)
	}
	if err := os.Mkdir(f.dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating cgroup %q (needs root and the freezer controller): %w", f.dir, err)
	}
	if err := f.set(true); err != nil {
		os.Remove(f.dir)
		return nil, err
	}
	return f, nil
}

func (f *freezer) set(frozen bool) error {
	file, value := "freezer.state", "THAWED"
	if f.v2 {
		file, value = "cgroup.freeze", "0"
	}
	if frozen {
		value = map[bool]string{false: "FROZEN", true: "1"}[f.v2]
	}
	path := filepath.Join(f.dir, file)
	if err := os.WriteFile(path, []byte(value), 0o644); err != nil {
		return fmt.Errorf("writing %q to %q: %w", value, path, err)
	}
	return nil
}

// tasks returns the thread IDs in the cgroup and its descendants.
func (f *freezer) tasks() []int {
	file := "tasks"
	if f.v2 {
		file = "cgroup.threads"
	}
	var tids []int
	filepath.WalkDir(f.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != file {
			return nil
		}
		fh, err := os.Open(path)
		if err != nil {
			return nil
		}
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if tid, err := strconv.Atoi(strings.TrimSpace(sc.Text())); err == nil {
				tids = append(tids, tid)
			}
		}
		return nil
	})
	return tids
}

// remove deletes the cgroup parent from every hierarchy where the runtime
// created it. Child cgroups of removed containers are gone by then.
func (f *freezer) remove() error {
	dirs := []string{f.dir}
	if !f.v2 {
		entries, _ := os.ReadDir(cgroupRoot)
		for _, e := range entries {
			dirs = append(dirs, filepath.Join(cgroupRoot, e.Name(), f.name))
		}
	}
	var errs []error
	for _, d := range dirs {
		// Empty leftover child cgroups first, deepest last in walk order.
		var sub []string
		filepath.WalkDir(d, func(path string, e fs.DirEntry, err error) error {
			if err == nil && e.IsDir() && path != d {
				sub = append(sub, path)
			}
			return nil
		})
		for i := len(sub) - 1; i >= 0; i-- {
			os.Remove(sub[i])
		}
		if err := os.Remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
