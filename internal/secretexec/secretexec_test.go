package secretexec

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/secrets"
)

func writeSecret(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	require.NoError(t, os.Chmod(p, mode))
	return p
}

func envValue(env []string, name string) (string, bool) {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

func TestResolveEnvFromFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		mode    NewlineMode
		want    string
	}{
		{"one newline trimmed", "s3cret\n", TrimOne, "s3cret"},
		{"crlf trimmed", "s3cret\r\n", TrimOne, "s3cret"},
		{"second newline kept", "s3cret\n\n", TrimOne, "s3cret\n"},
		{"all newlines trimmed", "s3cret\n\n\r\n", TrimAll, "s3cret"},
		{"kept", "s3cret\n", Keep, "s3cret\n"},
		{"no newline", "s3cret", TrimOne, "s3cret"},
		{"inner newline kept", "line1\nline2\n", TrimOne, "line1\nline2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeSecret(t, dir, "db_password", tt.content, 0o400)
			res, err := Resolve(Options{Env: []string{"PATH=/bin", "DB_PASSWORD_FILE=" + p},
				EnvFromFiles: true, FileRoots: []string{dir}, Newline: tt.mode})
			require.NoError(t, err)
			got, ok := envValue(res.Env, "DB_PASSWORD")
			require.True(t, ok)
			require.Equal(t, tt.want, got)
			_, still := envValue(res.Env, "DB_PASSWORD_FILE")
			require.False(t, still)
			require.Len(t, res.Variables, 1)
			require.Equal(t, p, res.Variables[0].Source)
		})
	}
}

func TestResolveLeavesFilesOutsideRoots(t *testing.T) {
	dir := t.TempDir()
	p := writeSecret(t, dir, "ca.pem", "cert\n", 0o444)
	env := []string{"SSL_CERT_FILE=" + p, "B_FILE=" + filepath.Join(dir, "..", filepath.Base(dir), "..", "x")}
	res, err := Resolve(Options{Env: env, EnvFromFiles: true, FileRoots: []string{filepath.Join(dir, "secrets")}})
	require.NoError(t, err)
	require.Equal(t, env, res.Env)
	require.Empty(t, res.Variables)
	require.Equal(t, []Skipped{{Name: "B_FILE", Path: strings.TrimPrefix(env[1], "B_FILE="), Reason: OutsideRoots},
		{Name: "SSL_CERT_FILE", Path: p, Reason: OutsideRoots}}, res.Skipped)
}

func TestResolveSkippedReasons(t *testing.T) {
	dir := t.TempDir()
	token := writeSecret(t, dir, "vault-token", "hvs.x\n", 0o400)
	env := []string{"APP_KEY_FILE=secrets/app_key", "VAULT_TOKEN_FILE=" + token}
	res, err := Resolve(Options{Env: env, EnvFromFiles: true, FileRoots: []string{dir}})
	require.NoError(t, err)
	require.Empty(t, res.Variables)
	require.Equal(t, []Skipped{{Name: "APP_KEY_FILE", Path: "secrets/app_key", Reason: RelativePath},
		{Name: "VAULT_TOKEN_FILE", Path: token, Reason: VaultCredential}}, res.Skipped)
	require.Equal(t, "the path is not absolute", RelativePath.String())
	require.Contains(t, VaultCredential.String(), "never passed to the application")
}

func TestResolveWithoutEnvFromFilesLeavesFileVars(t *testing.T) {
	p := writeSecret(t, t.TempDir(), "token", "abc\n", 0o400)
	res, err := Resolve(Options{Env: []string{"TOKEN_FILE=" + p}})
	require.NoError(t, err)
	require.Equal(t, []string{"TOKEN_FILE=" + p}, res.Env)
	require.Empty(t, res.Variables)
}

func TestResolveRejectsUnsafeFiles(t *testing.T) {
	dir := t.TempDir()
	writable := writeSecret(t, dir, "writable", "v\n", 0o666)
	roots := []string{dir}
	_, err := Resolve(Options{Env: []string{"A_FILE=" + writable}, EnvFromFiles: true, FileRoots: roots})
	require.ErrorIs(t, err, ErrUnsafeFile)
	require.Contains(t, err.Error(), "0666")
	require.Contains(t, err.Error(), "A_FILE")

	_, err = Resolve(Options{Env: []string{"A_FILE=" + filepath.Join(dir, "missing")}, EnvFromFiles: true,
		FileRoots: roots})
	require.Error(t, err)
	require.Contains(t, err.Error(), "missing")

	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	_, err = Resolve(Options{Env: []string{"A_FILE=" + sub}, EnvFromFiles: true, FileRoots: roots})
	require.ErrorContains(t, err, "not a regular file")

	both := writeSecret(t, dir, "both", "v\n", 0o400)
	_, err = Resolve(Options{Env: []string{"A=1", "A_FILE=" + both}, EnvFromFiles: true, FileRoots: roots})
	require.ErrorContains(t, err, "both A and A_FILE")
}

func TestResolveWarnsWorldReadable(t *testing.T) {
	dir := t.TempDir()
	p := writeSecret(t, dir, "readable", "hunter2-hunter2\n", 0o444)
	res, err := Resolve(Options{Env: []string{"A_FILE=" + p}, EnvFromFiles: true, FileRoots: []string{dir}})
	require.NoError(t, err)
	require.Len(t, res.Warnings, 1)
	require.Contains(t, res.Warnings[0], "mode=0400")
	require.Contains(t, res.Warnings[0], "defaultMode: 0400")
	require.NotContains(t, res.Warnings[0], "hunter2")
}

func TestResolveLogsWorldReadableOnce(t *testing.T) {
	dir := t.TempDir()
	p := writeSecret(t, dir, "readable", "hunter2-hunter2\n", 0o444)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	_, err := Resolve(Options{Env: []string{"A_FILE=" + p}, EnvFromFiles: true, FileRoots: []string{dir},
		Logger: logger})
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(buf.String(), "level=WARN"), buf.String())
	require.Contains(t, buf.String(), "mode=0444")
	require.Contains(t, buf.String(), "defaultMode: 0400", "the log says how to fix the mode")
	require.NotContains(t, buf.String(), "hunter2")
}

func TestResolveDirLikeKubernetesVolume(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "..2024_01_01_00_00_00.000000000")
	require.NoError(t, os.Mkdir(data, 0o755))
	writeSecret(t, data, "db-password", "pw-from-volume\n", 0o400)
	writeSecret(t, data, "api.key", "key-from-volume", 0o400)
	require.NoError(t, os.Symlink(filepath.Base(data), filepath.Join(dir, "..data")))
	require.NoError(t, os.Symlink("..data/db-password", filepath.Join(dir, "db-password")))
	require.NoError(t, os.Symlink("..data/api.key", filepath.Join(dir, "api.key")))

	res, err := Resolve(Options{Env: []string{"HOME=/"}, Dirs: []string{dir}})
	require.NoError(t, err)
	v, ok := envValue(res.Env, "DB_PASSWORD")
	require.True(t, ok)
	require.Equal(t, "pw-from-volume", v)
	v, ok = envValue(res.Env, "API_KEY")
	require.True(t, ok)
	require.Equal(t, "key-from-volume", v)
	require.Len(t, res.Variables, 2)
}

func TestResolveDirRejectsOverride(t *testing.T) {
	dir := t.TempDir()
	writeSecret(t, dir, "home", "x", 0o400)
	_, err := Resolve(Options{Env: []string{"HOME=/root"}, Dirs: []string{dir}})
	require.ErrorContains(t, err, "already set")
}

func TestVariableRedacted(t *testing.T) {
	random := "abcdefghijklmnopqrstuvwxyz0123"
	github := "ghp_" + random + secrets.Base62CRC32(random)
	tests := []struct {
		name, value, want string
	}{
		{"long password", "a-very-long-secret-value-0123456789", secrets.Mask},
		{"sixteen characters", "Xk9mQ2vLp7Rz4w8t", secrets.Mask},
		{"github token", github, "ghp_" + secrets.Mask},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Variable{Name: "A", value: tt.value}.Redacted())
		})
	}
	require.True(t, errors.Is(ErrUnsafeFile, ErrUnsafeFile))
}

func TestEnvName(t *testing.T) {
	for in, want := range map[string]string{"db-password": "DB_PASSWORD", "api.key": "API_KEY",
		"Token": "TOKEN", "1st": "_1ST"} {
		require.Equal(t, want, envName(in), in)
	}
}
