package secrets_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/secrets"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

func TestScanFindsEveryPlantedSecret(t *testing.T) {
	plants := secrettest.Plants(1)
	seen := map[string]bool{}
	for _, p := range plants {
		seen[p.RuleID] = true
	}
	for _, d := range secrets.Detectors() {
		require.True(t, seen[d.ID], "detector %s has no planted secret", d.ID)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		for _, p := range secrettest.Plants(seed) {
			t.Run(p.RuleID, func(t *testing.T) {
				ms := secrets.Default().Scan(p.Path, []byte(p.Content))
				var found bool
				for _, m := range ms {
					span := p.Content[m.Start:m.End]
					if m.RuleID == p.RuleID && strings.Contains(span, p.Secret) {
						found = true
					}
					require.NotContains(t, m.Redacted, p.Secret)
				}
				require.True(t, found, "seed %d: %s not found in %s; got %+v", seed, p.RuleID, p.Path, ms)
			})
		}
	}
}

// TestScanSharedCorpusHasNoSecrets runs every detector over real
// Dockerfiles, compose files, manifests, scripts and profiles that hold
// no secrets; each match there is a false positive.
func TestScanSharedCorpusHasNoSecrets(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared corpus not available at %s: %v", root, err)
	}
	var files int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		for _, m := range secrets.Default().Scan(filepath.ToSlash(rel), data) {
			t.Errorf("%s:%d:%d: %s (%s) matched %s", rel, m.Line, m.Column, m.RuleID, m.Detector, m.Redacted)
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 100)
}

// TestScanRejectsLookalikes checks the validation of each detector that
// has one: values of the right shape that fail a checksum, a decoding or
// an allow-list are not reported.
func TestScanRejectsLookalikes(t *testing.T) {
	g := secrettest.NewGenerator(77)
	good := g.GitHubToken("ghp_")
	badCRC := good[:len(good)-1] + string(rune('A'+(good[len(good)-1]-'A'+1)%26))
	tests := []struct {
		name, text string
	}{
		{"github bad checksum", "gh auth login --with-token " + badCRC},
		{"npm bad checksum", "npm config set token npm_" + strings.Repeat("aB3", 12)},
		{"aws example key", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"},
		{"aws example secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"aws placeholder id", "AKIAXXXXXXXXXXXXXXXX"},
		{"pem without body", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"},
		{"openssh wrong magic", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + strings.Repeat("QUJD", 40) +
			"\n-----END OPENSSH PRIVATE KEY-----"},
		{"jwt without alg", "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"},
		{"jwt alg none", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"},
		{"pypi not pypi.org", "pypi-AgEIZXhhbXBsZS5jb20" + strings.Repeat("A", 60)},
		{"age bad checksum", "AGE-SECRET-KEY-1" + strings.Repeat("Q", 58)},
		{"azure key wrong length", "AccountKey=" + strings.Repeat("A", 84) + "=="},
		{"docker auth without password", `{"auths": {"r": {"auth": "dXNlcm5hbWU6"}}}`},
		{"password placeholder", "db_password = changeme"},
		{"password reference", "db_password = ${DB_PASSWORD}"},
		{"password template", "db_password: {{ .Values.password }}"},
		{"password from code", "password = os.environ.get('DB_PASSWORD')"},
		{"password file path", "password_file = /run/secrets/db_password"},
		{"token low entropy", "token = aaaaaaaabbbbbbbb"},
		{"url without password", "https://user@example.org/path"},
		{"url placeholder", "postgres://app:<password>@db/app"},
		{"url reference", "postgres://app:${PGPASSWORD}@db/app"},
		{"url format verb", `fmt.Sprintf("postgres://app:%s@db/app", pw)`},
		{"vault reference", "DB_PASSWORD=vault:secret/app/db#password"},
		{"secrets manager reference", "db_password: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"},
		{"field list", "expected name:password:UID:GID:comment:home:shell"},
		{"slack word", "xoxb-is-a-prefix"},
		{"stripe publishable", "pk_live_" + strings.Repeat("a1B2", 6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := secrets.Default().Scan("config.txt", []byte(tt.text))
			require.Empty(t, ms, "text %q", tt.text)
		})
	}
	require.NotEmpty(t, secrets.Default().Scan("config.txt", []byte("gh auth login --with-token "+good)), "control")
}

func TestScanConfigAllowlist(t *testing.T) {
	token := secrettest.NewGenerator(78).GitHubToken("ghp_")
	allow, err := secrets.NewAllowlist([]string{`^ghp_` + token[4:10]}, []string{"examples/"})
	require.NoError(t, err)
	sc, err := secrets.NewScanner(allow)
	require.NoError(t, err)
	require.Empty(t, sc.Scan("src/a.env", []byte("T="+token)), "allowed by value pattern")
	require.True(t, sc.SkipsPath("examples/creds.env"))
	require.False(t, sc.SkipsPath("testdata/creds.env"), "a custom path list replaces the default")

	_, err = secrets.NewAllowlist([]string{"("}, nil)
	require.ErrorContains(t, err, "invalid allow pattern")
}

func TestScanGenericExemptPaths(t *testing.T) {
	g := secrettest.NewGenerator(79)
	password, token := g.Password(), g.GitHubToken("ghp_")
	text := []byte("db_password = " + password + "\ngithub_token = " + token + "\n")
	tests := []struct {
		path string
		want []string
	}{
		{"config/app.ini", []string{"SE055", "SE010"}},
		{"internal/db/db_test.go", []string{"SE010"}},
		{"tests/conftest.py", []string{"SE010"}},
		{"web/src/login.spec.ts", []string{"SE010"}},
		{"README.md", []string{"SE010"}},
		{"docs/setup.rst", []string{"SE010"}},
		{"config/.env.example", []string{"SE010"}},
		{"config/app.ini.sample", []string{"SE010"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var got []string
			for _, m := range secrets.Default().Scan(tt.path, text) {
				got = append(got, m.RuleID)
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestScanAttributePathNotSecret(t *testing.T) {
	for _, line := range []string{"apiKey: process.env.OPENAI_API_KEY", "password = settings.DATABASE_PASSWORD",
		"token = this.Config.AuthToken"} {
		require.Empty(t, secrets.Default().Scan("app.js", []byte(line)), line)
	}
}

// TestScanPlantsWithPlaceholders is the negative case of every detector:
// each planted file with its secret replaced by a placeholder, or by the
// variable reference a safe configuration would use, yields no finding
// of that detector.
func TestScanPlantsWithPlaceholders(t *testing.T) {
	for _, p := range secrettest.Plants(3) {
		for _, stand := range []string{"<redacted>", "${SECRET_VALUE}", "changeme"} {
			t.Run(p.RuleID+" "+stand, func(t *testing.T) {
				content := strings.ReplaceAll(p.Content, p.Secret, stand)
				require.NotEqual(t, p.Content, content)
				for _, m := range secrets.Default().Scan(p.Path, []byte(content)) {
					require.NotEqual(t, p.RuleID, m.RuleID, "%s in %q", m.Redacted, content)
				}
			})
		}
	}
}

func TestScanXMLElements(t *testing.T) {
	g := secrettest.NewGenerator(80)
	password := g.Password()
	settings := "<settings>\n  <servers>\n    <server>\n      <id>internal</id>\n      <username>ci</username>\n" +
		"      <password>" + password + "</password>\n    </server>\n  </servers>\n</settings>\n"
	ms := secrets.Default().Scan("home/.m2/settings.xml", []byte(settings))
	require.Len(t, ms, 1)
	require.Equal(t, "SE055", ms[0].RuleID)
	require.Equal(t, password, settings[ms[0].Start:ms[0].End])
	require.Equal(t, 6, ms[0].Line)

	for _, text := range []string{"<password>${env.MAVEN_PASSWORD}</password>", "<password></password>",
		"<passwordPolicy>strict</passwordPolicy>", "<password>short</password>"} {
		require.Empty(t, secrets.Default().Scan("settings.xml", []byte(text)), text)
	}
}

func TestScanManySecretsInOneFile(t *testing.T) {
	g := secrettest.NewGenerator(81)
	var b strings.Builder
	var tokens []string
	for range 3000 {
		tok := g.GitHubToken("ghp_")
		tokens = append(tokens, tok)
		b.WriteString("GITHUB_TOKEN=" + tok + "\n")
	}
	ms := secrets.Default().Scan("tokens.env", []byte(b.String()))
	require.Len(t, ms, len(tokens))
	for i, m := range ms {
		require.Equal(t, "SE010", m.RuleID)
		require.Equal(t, i+1, m.Line)
	}
}
