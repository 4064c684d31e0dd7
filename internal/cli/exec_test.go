package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExecDryRunRedacts(t *testing.T) {
	dir := t.TempDir()
	secret := "correct-horse-battery-staple-42"
	p := filepath.Join(dir, "db_password")
	require.NoError(t, os.WriteFile(p, []byte(secret+"\n"), 0o400))
	t.Setenv("DB_PASSWORD_FILE", p)

	stdout, stderr, code := runCLI(t, "--verbose", "exec", "--env-from-files", "--secrets-root", dir, "--dry-run", "--", "/app/server", "--port", "8080")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "would set DB_PASSWORD=**** from "+p)
	require.Contains(t, stdout, `would run "/app/server" "--port" "8080"`)
	require.NotContains(t, stdout+stderr, secret)
}

func TestExecRejectsWritableSecret(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(p, []byte("tok-123456789\n"), 0o600))
	require.NoError(t, os.Chmod(p, 0o662))
	t.Setenv("API_TOKEN_FILE", p)

	stdout, stderr, code := runCLI(t, "exec", "--env-from-files", "--secrets-root", dir, "--", "true")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "writable by other users")
	require.NotContains(t, stdout+stderr, "tok-123456789")
}

func TestExecWarnsWorldReadable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(p, []byte("tok-123456789\n"), 0o444))
	t.Setenv("API_TOKEN_FILE", p)

	stdout, stderr, code := runCLI(t, "exec", "--env-from-files", "--secrets-root", dir, "--dry-run", "--", "true")
	require.Equal(t, 0, code)
	require.Equal(t, 1, strings.Count(stderr, "readable by every user"), stderr)
	require.Contains(t, stderr, "defaultMode: 0400")
	require.NotContains(t, stdout, "readable by every user", "standard output belongs to the application")
	require.NotContains(t, stdout+stderr, "tok-123456789")
}

func TestExecDryRunExplainsSkippedFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "db_password")
	require.NoError(t, os.WriteFile(p, []byte("hunter2-hunter2\n"), 0o400))
	t.Setenv("DB_PASSWORD_FILE", p)
	t.Setenv("APP_KEY_FILE", "secrets/app_key")

	stdout, stderr, code := runCLI(t, "exec", "--env-from-files", "--dry-run", "--", "true")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "would set no variables from secrets")
	require.Contains(t, stdout, "skipped DB_PASSWORD_FILE="+p+
		": the file is outside the secret directories (/run/secrets, /var/run/secrets); "+
		"to set DB_PASSWORD from it, add --secrets-root "+dir+"\n")
	require.Contains(t, stdout, "skipped APP_KEY_FILE=secrets/app_key: the path is not absolute")
	require.NotContains(t, stdout+stderr, "hunter2")

	stdout, stderr, code = runCLI(t, "exec", "--env-from-files", "--secrets-root", dir, "--dry-run", "--", "true")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "would set DB_PASSWORD=**** from "+p)
	require.NotContains(t, stdout, "skipped DB_PASSWORD_FILE")
}

func TestExecUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", []string{"exec"}, "requires at least 1 arg"},
		{"bad newline", []string{"exec", "--newline", "x", "--", "true"}, "invalid --newline"},
		{"bad vault flag", []string{"exec", "--vault", "nope", "--", "true"}, "NAME=MOUNT/PATH#KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, tt.args...)
			require.Equal(t, 2, code)
			require.True(t, strings.Contains(stderr, tt.want), stderr)
		})
	}
}
