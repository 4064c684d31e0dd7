package secrets

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"short", "hunter2", Mask},
		{"fifteen", "abcdefghijklmno", Mask},
		{"medium", "abcdefghijklmnopqrst", "abc" + Mask + "st"},
		{"long", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_" + Mask + "6789"},
		{"multiline", "line one of a long value\nline two", "lin" + Mask + "ue…"},
		{"rsa key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA", "RSA private key"},
		{"openssh key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "OpenSSH private key"},
		{"pkcs8 key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B", "PKCS #8 private key"},
		{"encrypted pkcs8 key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w",
			"encrypted PKCS #8 private key"},
		{"ec key with escaped newlines", `-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg`, "EC private key"},
		{"pgp key block", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF", "PGP private key block"},
		{"unknown key type", "-----BEGIN XYZZY PRIVATE KEY-----\nMIIE", "private key"},
		{"certificate", "-----BEGIN CERTIFICATE-----\nMIIDUzCCAjugAwIBAgIJ", "---" + Mask + "--…"},
		{"unicode", "пароль-пароль-пароль", "пар" + Mask + "ль"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Redact(tt.in))
		})
	}
}

func TestRedactKeepsSecretHidden(t *testing.T) {
	for n := 1; n < 200; n++ {
		s := strings.Repeat("a", n-1) + "Z"
		got := Redact(s)
		require.NotEqual(t, s, got, "length %d", n)
		require.LessOrEqual(t, strings.Count(got, "a")+strings.Count(got, "Z"), 8, "length %d", n)
	}
}

func TestClassify(t *testing.T) {
	random := "abcdefghijklmnopqrstuvwxyz0123"
	github := "ghp_" + random + Base62CRC32(random)
	tests := []struct {
		name, key, value string
		wantID           string // empty: not a secret
	}{
		{"github token by value", "SOME_VAR", github, "SE010"},
		{"password by name", "DB_PASSWORD", "hunter2", "SE055"},
		{"camel case name", "clientSecret", "s3cr3t-v4lue", "SE055"},
		// Split so that scanning this file finds no URL with a password.
		{"database url", "DATABASE_URL", "postgres://app:" + "s3cr3tpw@db/app", "SE034"},
		{"gpg key fingerprint", "GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D95E4AB8", ""},
		{"file variable", "PASSWORD_FILE", "/run/secrets/db", ""},
		{"working directory", "PWD", "/app", ""},
		{"reference", "API_KEY", "${API_KEY}", ""},
		{"shell reference", "API_KEY", "$API_KEY", ""},
		{"token in a reference default", "GH", "${GITHUB_TOKEN:-" + github + "}", "SE010"},
		{"placeholder", "DB_PASSWORD", "changeme", ""},
		{"angle placeholder", "DB_PASSWORD", "<password>", ""},
		{"empty", "DB_PASSWORD", "", ""},
		{"aws example key", "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", ""},
		{"length setting", "PASSWORD_MIN_LENGTH", "12", ""},
		{"plain name", "PATH", "/usr/bin", ""},
		{"token url", "TOKEN_URL", "https://auth.example.com/token", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := Classify(tt.key, tt.value)
			require.Equal(t, tt.wantID != "", ok, "match %+v", m)
			require.Equal(t, tt.wantID, m.RuleID)
			if ok {
				require.NotEmpty(t, m.Detector)
				require.NotContains(t, m.Redacted, tt.value)
			}
		})
	}
}

func TestRedactValue(t *testing.T) {
	random := "abcdefghijklmnopqrstuvwxyz0123"
	github := "ghp_" + random + Base62CRC32(random)
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"short password", "hunter2", Mask},
		{"sixteen character password", "Xk9mQ2vLp7Rz4w8t", Mask},
		{"long password", "correct-horse-battery-staple-42", Mask},
		{"github token", github, "ghp_" + Mask},
		{"github token with newline", github + "\n", "ghp_" + Mask},
		{"token inside text", "token is " + github, Mask},
		{"openssh key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n", "OpenSSH private key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, RedactValue(tt.in))
		})
	}
}

func TestGenericMatchesShowNoCharacters(t *testing.T) {
	password := "Xk9mQ2vLp7Rz4w8t"
	ms := Default().Scan("config.ini", []byte("db_password = "+password+"\n"))
	require.Len(t, ms, 1)
	require.Equal(t, "SE055", ms[0].RuleID)
	require.Equal(t, Mask, ms[0].Redacted)
	require.Equal(t, "db_password", ms[0].Name)

	m, ok := Classify("DB_PASSWORD", password)
	require.True(t, ok)
	require.Equal(t, Mask, m.Redacted)
	require.Equal(t, "DB_PASSWORD", m.Name)
}

func TestTokenMatchesKeepPrefix(t *testing.T) {
	random := "abcdefghijklmnopqrstuvwxyz0123"
	github := "ghp_" + random + Base62CRC32(random)
	m, ok := Classify("DB_PASSWORD", github)
	require.True(t, ok)
	require.Equal(t, "SE010", m.RuleID)
	require.Equal(t, "ghp_"+Mask, m.Redacted)
	require.Empty(t, m.Name)
}

func TestNamesNonSecretData(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"db-zbx-user", true},
		{"username", true},
		{"DB_USER_NAME", true},
		{"login", true},
		{"DB_HOST", true},
		{"redisPort", true},
		{"POSTGRES_DB", true},
		{"database", true},
		{"admin-email", true},
		{"api.url", true},
		{"db-zbx-pass", false},
		{"DB_PASSWORD", false},
		{"user-password", false},
		{"api-token", false},
		{"tls.key", false},
		{"connection-string", false},
		{"service-account", false},
		{".dockerconfigjson", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, NamesNonSecretData(tt.name))
		})
	}
}

func TestRedactText(t *testing.T) {
	random := "0123456789abcdefghijABCDEFGHIJ"
	token := "ghp_" + random + Base62CRC32(random)
	got := RedactText("cloning with " + token + " now")
	require.NotContains(t, got, token)
	require.Contains(t, got, "cloning with ghp_"+Mask)
	require.Contains(t, got, " now")
	require.Equal(t, "nothing here", RedactText("nothing here"))
}

func TestRedactingHandler(t *testing.T) {
	random := "0123456789abcdefghijABCDEFGHIJ"
	token := "ghp_" + random + Base62CRC32(random)
	var buf strings.Builder
	log := slog.New(NewRedactingHandler(slog.NewTextHandler(&buf, nil)))
	log.With(slog.String("ctx", token)).Info("using "+token,
		slog.String("a", token), slog.Any("err", errors.New("bad token "+token)),
		slog.Group("g", slog.String("b", token)), slog.Int("n", 3))
	require.NotContains(t, buf.String(), token)
	require.Contains(t, buf.String(), "n=3")
	require.Equal(t, 5, strings.Count(buf.String(), "ghp_"+Mask))
}
