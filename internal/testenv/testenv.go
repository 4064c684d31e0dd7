// Package testenv provides the real components that integration tests run
// against: the Docker Engine, small test images made without a registry, and a
// cached Debian root file system.
//
// Components are installed and started by scripts/test. When one is missing,
// a helper fails the test in CI (CI is set and not "false" or "0"), because
// the CI run installs everything, and skips it elsewhere with a message that
// names the missing component. DOCKWARD_SKIP_INTEGRATION=1 skips every
// integration test outside CI.
//
// Images are tagged under dockward-test/ and kept in the engine, so later test
// processes and packages reuse them. A file lock in the cache directory stops
// parallel test packages from building the same image twice.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// CacheDirEnv names the environment variable that overrides CacheDir.
const CacheDirEnv = "DOCKWARD_TEST_CACHE"

// SkipEnv names the environment variable that skips integration tests outside CI.
const SkipEnv = "DOCKWARD_SKIP_INTEGRATION"

// InCI reports whether the tests run in CI, where a missing component is a
// failure instead of a skip.
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

// Unavailable stops the test because a component it needs is missing: it
// fails in CI and skips elsewhere.
func Unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()

	msg := fmt.Sprintf(format, args...)
	if InCI() {
		tb.Fatalf("%s (CI installs every component; check scripts/test output)", msg)
	}
	tb.Skipf("integration test skipped: %s (run ./scripts/test as root to install it)", msg)
}

// RequireIntegration skips the test outside CI when DOCKWARD_SKIP_INTEGRATION=1.
func RequireIntegration(tb testing.TB) {
	tb.Helper()

	if os.Getenv(SkipEnv) == "1" && !InCI() {
		tb.Skipf("integration test skipped: %s=1", SkipEnv)
	}
}

// CacheDir returns the directory for build results that outlive one test run,
// such as the Debian root file system. It lies outside the repository:
// $DOCKWARD_TEST_CACHE, else /var/cache/dockward-test when writable, else the
// user cache directory.
func CacheDir(tb testing.TB) string {
	tb.Helper()

	candidates := []string{os.Getenv(CacheDirEnv), "/var/cache/dockward-test"}
	if dir, err := os.UserCacheDir(); err == nil {
		candidates = append(candidates, filepath.Join(dir, "dockward-test"))
	}
	for _, dir := range candidates {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			continue
		}
		if probe, err := os.CreateTemp(dir, ".probe-*"); err == nil {
			probe.Close()
			os.Remove(probe.Name())
			return dir
		}
	}
	tb.Fatalf("no writable test cache directory; set %s", CacheDirEnv)
	return ""
}

// withLock runs fn while holding an exclusive lock on the file name in the
// cache directory, so concurrent test processes build a resource once.
func withLock(tb testing.TB, name string, fn func() error) error {
	tb.Helper()

	path := filepath.Join(CacheDir(tb), name+".lock")
	unlock, err := lockFile(path)
	if err != nil {
		return fmt.Errorf("locking %q: %w", path, err)
	}
	defer unlock()

	return fn()
}
