package testenv

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Image tags of the test images. The suffix changes whenever the content does.
const (
	BusyboxTag = "dockward-test/busybox:1"
	DebianTag  = "dockward-test/debian:bookworm-1"
)

// BusyboxPath is the install path of the binary in Debian's busybox-static package.
const BusyboxPath = "/bin/busybox"

// DebianMirror is the Debian archive that debootstrap downloads from; the
// DOCKWARD_DEBIAN_MIRROR environment variable overrides it.
const DebianMirror = "http://deb.debian.org/debian"

// builds records, per test process, the resources already built or found,
// and the error when building failed, so a failure is not repeated.
var (
	buildsMu sync.Mutex
	builds   = map[string]*buildResult{}
)

type buildResult struct {
	mu   sync.Mutex
	done bool
	err  error
}

// buildOnce runs build for key once per test process, under a file lock
// shared with other test processes.
func buildOnce(tb testing.TB, key string, build func() error) error {
	tb.Helper()

	buildsMu.Lock()
	r, ok := builds[key]
	if !ok {
		r = &buildResult{}
		builds[key] = r
	}
	buildsMu.Unlock()

	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.done {
		lockName := strings.NewReplacer("/", "_", ":", "_").Replace(key)
		r.err = withLock(tb, lockName, build)
		r.done = true
	}
	return r.err
}

// BusyboxImage returns the tag of a small image whose root file system holds
// Debian's static busybox at /bin/busybox, a symlink in /bin for each applet
// (sh, sleep, id, cat, mkdir, ...), /etc/passwd and /etc/group with root and
// nobody (65534), and a /tmp with mode 1777. Its CMD is /bin/sh.
func BusyboxImage(tb testing.TB) string {
	tb.Helper()

	d := RequireDocker(tb)
	err := buildOnce(tb, BusyboxTag, func() error {
		if d.ImageExists(BusyboxTag) {
			return nil
		}
		return importBusybox(d)
	})
	if err != nil {
		tb.Fatalf("building %s: %v", BusyboxTag, err)
	}
	return BusyboxTag
}

func importBusybox(d *Docker) error {
	if err := checkStatic(BusyboxPath); err != nil {
		return fmt.Errorf("%w (install Debian's busybox-static)", err)
	}
	applets, err := exec.Command(BusyboxPath, "--list").Output()
	if err != nil {
		return fmt.Errorf("listing busybox applets: %w", err)
	}

	var archive bytes.Buffer
	if err := writeBusyboxRootfs(&archive, strings.Fields(string(applets))); err != nil {
		return err
	}
	return dockerImport(d, &archive, BusyboxTag, `CMD ["/bin/sh"]`)
}

// checkStatic returns an error unless path is a statically linked ELF file,
// which runs in an image without a dynamic loader.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("reading %q: %w", path, err)
	}
	defer f.Close()

	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%q is dynamically linked", path)
		}
	}
	return nil
}

func writeBusyboxRootfs(w io.Writer, applets []string) error {
	bin, err := os.ReadFile(BusyboxPath)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := tar.NewWriter(w)
	dir := func(name string, mode int64) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode, ModTime: now})
	}
	file := func(name string, mode int64, data []byte) error {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}

	for _, d := range []string{"bin", "etc", "root", "proc", "sys", "dev"} {
		if err := dir(d, 0o755); err != nil {
			return err
		}
	}
	if err := dir("tmp", 0o1777); err != nil {
		return err
	}
	if err := file("bin/busybox", 0o755, bin); err != nil {
		return err
	}
	for _, a := range applets {
		if a == "busybox" || strings.Contains(a, "/") {
			continue
		}
		hdr := &tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + a, Linkname: "busybox", Mode: 0o777, ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
	}
	passwd := "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
	if err := file("etc/passwd", 0o644, []byte(passwd)); err != nil {
		return err
	}
	if err := file("etc/group", 0o644, []byte("root:x:0:\nnogroup:x:65534:\n")); err != nil {
		return err
	}
	return tw.Close()
}

// dockerImport imports the tar archive r as image tag, applying Dockerfile
// instructions such as CMD.
func dockerImport(d *Docker, r io.Reader, tag string, changes ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	args := []string{"import"}
	for _, c := range changes {
		args = append(args, "--change", c)
	}
	args = append(args, "-", tag)
	cmd := d.Command(ctx, args...)
	cmd.Stdin = r
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker import %s: %w: %s", tag, err, bytes.TrimSpace(out))
	}
	return nil
}

// DebianRootfs returns the directory of a Debian bookworm root file system
// made by debootstrap --variant=minbase. It is built once, which takes about
// 40 seconds and needs the Debian mirror, and cached under CacheDir. Tests
// must not change it.
func DebianRootfs(tb testing.TB) string {
	tb.Helper()
	RequireIntegration(tb)

	debootstrap, err := exec.LookPath("debootstrap")
	if err != nil {
		for _, p := range []string{"/usr/sbin/debootstrap", "/sbin/debootstrap"} {
			if _, statErr := os.Stat(p); statErr == nil {
				debootstrap, err = p, nil
			}
		}
	}
	if err != nil {
		Unavailable(tb, "debootstrap not found")
	}
	if os.Geteuid() != 0 {
		Unavailable(tb, "debootstrap needs root")
	}

	dir := filepath.Join(CacheDir(tb), "debian-bookworm-minbase")
	err = buildOnce(tb, "debian-rootfs", func() error {
		if _, err := os.Stat(filepath.Join(dir, "etc", "debian_version")); err == nil {
			return nil
		}
		return debootstrapInto(debootstrap, dir)
	})
	if err != nil {
		tb.Fatalf("building Debian root file system: %v", err)
	}
	return dir
}

func debootstrapInto(debootstrap, dir string) error {
	mirror := os.Getenv("DOCKWARD_DEBIAN_MIRROR")
	if mirror == "" {
		mirror = DebianMirror
	}
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, debootstrap, "--variant=minbase", "bookworm", tmp, mirror)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("debootstrap: %w\n%s", err, lastLines(out, 20))
	}
	// Leave no downloaded packages in the image.
	os.RemoveAll(filepath.Join(tmp, "var", "cache", "apt", "archives"))
	os.MkdirAll(filepath.Join(tmp, "var", "cache", "apt", "archives", "partial"), 0o755)

	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// DebianImage returns the tag of an image imported from DebianRootfs, with
// CMD /bin/bash.
func DebianImage(tb testing.TB) string {
	tb.Helper()

	d := RequireDocker(tb)
	err := buildOnce(tb, DebianTag, func() error {
		if d.ImageExists(DebianTag) {
			return nil
		}
		dir := DebianRootfs(tb)
		return importDir(d, dir, DebianTag, `CMD ["/bin/bash"]`)
	})
	if err != nil {
		tb.Fatalf("building %s: %v", DebianTag, err)
	}
	return DebianTag
}

// importDir imports the directory dir as an image with GNU tar, which keeps
// device nodes, hard links and numeric owners.
func importDir(d *Docker, dir, tag string, changes ...string) error {
	tarCmd := exec.Command("tar", "--numeric-owner", "--xattrs", "-C", dir, "-cf", "-", ".")
	stdout, err := tarCmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	tarCmd.Stderr = &stderr
	if err := tarCmd.Start(); err != nil {
		return fmt.Errorf("running tar: %w", err)
	}
	importErr := dockerImport(d, stdout, tag, changes...)
	if err := tarCmd.Wait(); err != nil {
		return fmt.Errorf("tar of %q: %w: %s", dir, err, stderr.String())
	}
	return importErr
}
