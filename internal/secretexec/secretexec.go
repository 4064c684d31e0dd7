// Package secretexec resolves the secrets an application needs and
// starts it: the library behind `dockward exec`, an entrypoint wrapper.
// Secrets come from files (Docker secrets under /run/secrets, Kubernetes
// secret volumes) and from HashiCorp Vault's KV version 2 engine. The
// resolved values go only into the application's environment; they are
// never logged, and the credentials used to reach Vault are removed from
// that environment.
package secretexec

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/dockward/dockward/internal/secrets"
)

// ErrUnsafeFile is returned for a secret file that others can write.
var ErrUnsafeFile = errors.New("secret file is writable by other users")

// NewlineMode is the handling of line breaks at the end of a secret read
// from a file.
type NewlineMode int

const (
	// TrimOne removes one trailing "\n" or "\r\n", which `echo` and most
	// editors add. It is the default.
	TrimOne NewlineMode = iota
	// TrimAll removes every trailing "\r" and "\n".
	TrimAll
	// Keep leaves the value exactly as stored.
	Keep
)

// Options are the sources of secrets and how the application starts.
type Options struct {
	// Env is the environment to resolve, usually os.Environ().
	Env []string
	// EnvFromFiles turns each NAME_FILE=path whose path lies under one of
	// FileRoots into NAME=content, and removes NAME_FILE. Variables such as
	// SSL_CERT_FILE that point elsewhere are left alone.
	EnvFromFiles bool
	// FileRoots are the directories that hold secret files; nil means
	// DefaultFileRoots.
	FileRoots []string
	// Dirs are directories, such as /run/secrets or a Kubernetes secret
	// volume, whose every file becomes a variable named after the file
	// (upper-cased, other characters than letters and digits turned into
	// underscores).
	Dirs []string
	// Vault maps variable names to Vault references "mount/path#key".
	// Values of Env that start with "vault:" are references too.
	Vault map[string]string
	// AllowHTTPVault permits a Vault address with the http scheme.
	AllowHTTPVault bool
	// Newline is the trailing-newline handling for file secrets.
	Newline NewlineMode
	// Logger receives warnings (world-readable files) and never a value.
	Logger *slog.Logger
}

// Variable is one environment variable that Resolve set from a secret.
type Variable struct {
	Name string
	// Source is where the value came from: a file path or a Vault
	// reference, never the value.
	Source string
	value  string
}

// Redacted returns the value passed through secrets.RedactValue: only
// the mask, unless the value is a token of a known format, whose prefix
// is kept.
func (v Variable) Redacted() string { return secrets.RedactValue(v.value) }

// SkipReason is why EnvFromFiles left a NAME_FILE variable alone.
type SkipReason int

const (
	// OutsideRoots is a path outside every directory of FileRoots, such
	// as SSL_CERT_FILE=/etc/ssl/cert.pem.
	OutsideRoots SkipReason = iota + 1
	// RelativePath is a path that is not absolute, which cannot be
	// checked against FileRoots.
	RelativePath
	// VaultCredential is a file that Resolve reads to log in to Vault and
	// never gives to the application.
	VaultCredential
)

// Skipped is a NAME_FILE variable that EnvFromFiles did not turn into
// NAME.
type Skipped struct {
	// Name is the variable, such as DB_PASSWORD_FILE.
	Name string
	// Path is the variable's value: the file's path, never its content.
	Path   string
	Reason SkipReason
}

// Result is the environment for the application and the variables that
// came from secrets.
type Result struct {
	Env       []string
	Variables []Variable
	// Skipped lists the NAME_FILE variables that EnvFromFiles left alone,
	// sorted by name, for --dry-run output.
	Skipped []Skipped
	// Warnings are the messages that Resolve also logged at warning level,
	// for callers without a Logger.
	Warnings []string
}

// DefaultFileRoots are the directories where Docker (/run/secrets) and
// Kubernetes service-account volumes (/var/run/secrets) mount secrets.
var DefaultFileRoots = []string{"/run/secrets", "/var/run/secrets"}

// underRoot reports whether path lies inside one of roots, compared after
// cleaning both, so that "/run/secrets/../etc/passwd" does not count.
func underRoot(path string, roots []string) bool {
	if !filepath.IsAbs(path) {
		return false
	}
	p := filepath.Clean(path)
	for _, r := range roots {
		r = filepath.Clean(r)
		if strings.HasPrefix(p, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// vaultCredentialVars are removed from the application's environment,
// because any process that reads them can read every secret of the role.
var vaultCredentialVars = []string{"VAULT_TOKEN", "VAULT_SECRET_ID", "VAULT_ROLE_ID",
	"VAULT_TOKEN_FILE", "VAULT_SECRET_ID_FILE"}

// Resolve reads every requested secret and returns the application's
// environment. It returns an error, naming the file or reference but
// never a value, when a secret cannot be read or is unsafe.
func Resolve(opts Options) (*Result, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	env := newEnvMap(opts.Env)
	res := &Result{}
	var errs []error

	if opts.EnvFromFiles {
		errs = append(errs, resolveFileVars(env, opts, res)...)
	}
	for _, dir := range opts.Dirs {
		errs = append(errs, resolveDir(env, dir, opts, res)...)
	}
	refs := vaultRefs(env, opts.Vault)
	if len(refs) > 0 {
		errs = append(errs, resolveVault(env, refs, opts, res)...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, name := range vaultCredentialVars {
		env.unset(name)
	}
	res.Env = env.list()
	sort.Slice(res.Variables, func(i, j int) bool { return res.Variables[i].Name < res.Variables[j].Name })
	sort.Slice(res.Skipped, func(i, j int) bool { return res.Skipped[i].Name < res.Skipped[j].Name })
	return res, nil
}

func resolveFileVars(env *envMap, opts Options, res *Result) []error {
	roots := opts.FileRoots
	if roots == nil {
		roots = DefaultFileRoots
	}
	var errs []error
	for _, name := range env.names() {
		base, ok := strings.CutSuffix(name, "_FILE")
		if !ok || base == "" {
			continue
		}
		path := env.get(name)
		reason := SkipReason(0)
		switch {
		case slices.Contains(vaultCredentialVars, name):
			reason = VaultCredential
		case !filepath.IsAbs(path):
			reason = RelativePath
		case !underRoot(path, roots):
			reason = OutsideRoots
		}
		if reason != 0 {
			opts.Logger.Debug("leaving variable alone", slog.String("variable", name),
				slog.String("path", path), slog.String("reason", reason.String()))
			res.Skipped = append(res.Skipped, Skipped{Name: name, Path: path, Reason: reason})
			continue
		}
		value, err := readSecretFile(path, opts, res)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if env.has(base) {
			errs = append(errs, fmt.Errorf("both %s and %s are set: set only one, so it is clear which value the application gets", base, name))
			continue
		}
		env.unset(name)
		env.set(base, value)
		res.Variables = append(res.Variables, Variable{Name: base, Source: path, value: value})
	}
	return errs
}

func resolveDir(env *envMap, dir string, opts Options, res *Result) []error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []error{fmt.Errorf("reading secret directory %q: %w", dir, err)}
	}
	var errs []error
	for _, e := range entries {
		// Kubernetes volumes keep the data in ..data and timestamped
		// directories; the keys are symbolic links beside them.
		if strings.HasPrefix(e.Name(), "..") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		info, err := os.Stat(path)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		name := envName(e.Name())
		value, err := readSecretFile(path, opts, res)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if env.has(name) {
			errs = append(errs, fmt.Errorf("secret file %q would replace the variable %s that is already set: unset it or rename the file", path, name))
			continue
		}
		env.set(name, value)
		res.Variables = append(res.Variables, Variable{Name: name, Source: path, value: value})
	}
	return errs
}

// envName turns a file name such as "db-password" into DB_PASSWORD.
func envName(file string) string {
	var b strings.Builder
	for _, r := range file {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	return s
}

// readSecretFile reads a secret after checking its permissions: a file
// others can write is rejected, because anyone on the host could replace
// the secret, and a file every user can read is a warning.
func readSecretFile(path string, opts Options, res *Result) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("reading secret file %q: %w", path, errors.Unwrap(err))
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("secret file %q is not a regular file", path)
	}
	if err := checkMode(path, info.Mode()); err != nil {
		return "", err
	}
	if info.Mode().Perm()&0o004 != 0 {
		mode := fmt.Sprintf("%04o", info.Mode().Perm())
		opts.Logger.Warn("secret file is readable by every user", slog.String("path", path),
			slog.String("mode", mode), slog.String("fix", worldReadableFix))
		res.Warnings = append(res.Warnings, fmt.Sprintf("secret file %s is readable by every user (mode %s); %s",
			path, mode, worldReadableFix))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading secret file %q: %w", path, errors.Unwrap(err))
	}
	return trimNewline(string(data), opts.Newline), nil
}

// worldReadableFix is the advice for restricting a secret file's mode,
// for Docker secrets and Kubernetes secret volumes.
const worldReadableFix = "for a Docker secret set mode 0400 with uid and gid in the service's secrets entry " +
	"(docker service create --secret source=NAME,target=NAME,uid=UID,gid=GID,mode=0400), " +
	"for a Kubernetes secret volume set defaultMode: 0400 and the pod's " +
	"securityContext.runAsUser or fsGroup so the application can still read it"

// String describes the reason in words, for logs and --dry-run output.
func (r SkipReason) String() string {
	switch r {
	case OutsideRoots:
		return "the file is outside the secret directories"
	case RelativePath:
		return "the path is not absolute"
	case VaultCredential:
		return "it is a Vault credential, which is used to log in and never passed to the application"
	}
	return fmt.Sprintf("SkipReason(%d)", int(r))
}

func checkMode(path string, mode fs.FileMode) error {
	if mode.Perm()&0o002 != 0 {
		return fmt.Errorf("%w: %q has mode %04o; remove write access for others "+
			"(chmod o-w, or mode 0400 in the Docker or Kubernetes secret definition)",
			ErrUnsafeFile, path, mode.Perm())
	}
	return nil
}

func trimNewline(s string, mode NewlineMode) string {
	switch mode {
	case Keep:
		return s
	case TrimAll:
		return strings.TrimRight(s, "\r\n")
	}
	if t, ok := strings.CutSuffix(s, "\r\n"); ok {
		return t
	}
	return strings.TrimSuffix(s, "\n")
}

// envMap is an environment that keeps the order of first appearance.
type envMap struct {
	order  []string
	values map[string]string
}

func newEnvMap(env []string) *envMap {
	m := &envMap{values: map[string]string{}}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		m.set(k, v)
	}
	return m
}

func (m *envMap) set(k, v string) {
	if _, ok := m.values[k]; !ok {
		m.order = append(m.order, k)
	}
	m.values[k] = v
}

func (m *envMap) get(k string) string { return m.values[k] }

func (m *envMap) has(k string) bool { _, ok := m.values[k]; return ok }

func (m *envMap) unset(k string) {
	if _, ok := m.values[k]; !ok {
		return
	}
	delete(m.values, k)
	m.order = slices.DeleteFunc(m.order, func(s string) bool { return s == k })
}

func (m *envMap) names() []string { return slices.Clone(m.order) }

func (m *envMap) list() []string {
	out := make([]string, 0, len(m.order))
	for _, k := range m.order {
		out = append(out, k+"="+m.values[k])
	}
	return out
}
