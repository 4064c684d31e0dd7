package secrets

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

func analyze(t *testing.T, rel, content string) []finding.Finding {
	t.Helper()
	f := &engine.File{Path: rel, Rel: rel, Data: []byte(content)}
	res := Analyzer{}.Analyze(context.Background(), f, &engine.Env{Config: config.Default()})
	require.Empty(t, res.Problems)
	return res.Findings
}

func ruleIDs(fs []finding.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}

func TestAnalyzerFindsPlantedSecrets(t *testing.T) {
	for _, p := range secrettest.Plants(7) {
		t.Run(p.RuleID, func(t *testing.T) {
			fs := analyze(t, p.Path, p.Content)
			require.Contains(t, ruleIDs(fs), p.RuleID)
			for _, f := range fs {
				require.NotContains(t, f.Message, p.Secret)
				require.NotEmpty(t, f.Fix)
				require.Positive(t, f.Location.StartLine)
			}
		})
	}
}

func TestAnalyzerRules(t *testing.T) {
	g := secrettest.NewGenerator(11)
	token := g.GitHubToken("ghp_")
	password := g.Password()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, path, content string
		want                []string // rule IDs in report order; nil: none
	}{
		{"dockerfile env left to DF010", "Dockerfile",
			"FROM alpine\nENV GITHUB_TOKEN=" + token + "\n", nil},
		{"dockerfile arg continuation left to DF010", "Dockerfile",
			"FROM alpine\nARG A=1 \\\n    TOKEN=" + token + "\n", nil},
		{"dockerfile run reported", "Dockerfile",
			"FROM alpine\nRUN curl -H 'Authorization: token " + token + "' https://api.github.com\n", []string{"SE010"}},
		{"compose environment left to RT031", "compose.yaml",
			"services:\n  app:\n    image: app\n    environment:\n      GITHUB_TOKEN: " + token + "\n", nil},
		{"compose command reported", "compose.yaml",
			"services:\n  app:\n    image: app\n    command: [\"--token\", \"" + token + "\"]\n", []string{"SE010"}},
		{"kubernetes env left to RT031", "deploy.yaml",
			"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n" +
				"      - name: app\n        env:\n        - name: TOKEN\n          value: " + token + "\n", nil},
		{"docker run -e left to RT031", "run.sh",
			"docker run -e GITHUB_TOKEN=" + token + " app\n", nil},
		{"continued -e left to RT031", "run.sh",
			"docker run --rm \\\n  -e GITHUB_TOKEN=" + token + " \\\n  app\n", nil},
		{"continued -e after other flags left to RT031", "run.sh",
			"docker run \\\n  --rm -e GITHUB_TOKEN=" + token + " \\\n  app\n", nil},
		{"-e stranded by backslash space", "run.sh",
			"docker run --rm \\ \n  -e GITHUB_TOKEN=" + token + " \\\n  app\n", []string{"SE010"}},
		{"--env stranded by comment", "run.sh",
			"docker run --rm \\\n  # note\n  --env GITHUB_TOKEN=" + token + " \\\n  app\n", []string{"SE010"}},
		{"stranded password", "run.sh",
			"docker run --rm \\ \n  -e DB_PASSWORD=" + password + " \\\n  app\n", []string{"SE055"}},
		{"kubernetes secret data", "secret.yaml",
			"apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ndata:\n  token: " + b64(token) + "\n", []string{"SE056"}},
		{"kubernetes secret stringData once", "secret.yaml",
			"apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\nstringData:\n  token: " + token + "\n", []string{"SE056"}},
		{"kubernetes secret password", "secret.yaml",
			"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: " + b64("hunter2") + "\n", []string{"SE056"}},
		{"kubernetes secret placeholder", "secret.yaml",
			"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: changeme\n", nil},
		{"kubernetes secret template", "templates/secret.yaml",
			"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {{ .Values.password | b64enc }}\n", nil},
		{"kubernetes secret empty", "secret.yaml",
			"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata: {}\n", nil},
		{"echo to docker secret create", "deploy.sh",
			"echo \"" + password + "\" | docker secret create db_password -\n", []string{"SE057"}},
		{"echo variable to docker secret create", "deploy.sh",
			"echo \"$DB_PASSWORD\" | docker secret create db_password -\n", nil},
		{"docker login -p variable", "ci.sh",
			"docker login -u ci -p \"$REGISTRY_TOKEN\" registry.example.com\n", []string{"SE057"}},
		{"docker login -p token names detector", "ci.sh",
			"docker login -u ci -p " + token + " ghcr.io\n", []string{"SE057"}},
		{"podman login -p", "ci.sh",
			"podman login -u ci -p \"$REGISTRY_TOKEN\" quay.io\n", []string{"SE057"}},
		{"echo pipe ends the line", "deploy.sh",
			"set -e\necho \"" + password + "\" |\n  docker secret create db_password -\n", []string{"SE057"}},
		{"login deep in a long script", "ci.sh",
			strings.Repeat("echo step\n", 500) + "docker login -u ci -p \"$T\" r.example.com\n", []string{"SE057"}},
		{"docker login password-stdin", "ci.sh",
			"docker login -u ci --password-stdin ghcr.io < token.txt\n", nil},
		{"mysql -p literal", "backup.sh",
			"mysqldump -u root -p" + password + " app > app.sql\n", []string{"SE057"}},
		{"mysql -p prompt", "backup.sh", "mysql -u root -p app\n", nil},
		{"mysql --password", "backup.sh", "mysql --user=root --password=" + password + " app\n", []string{"SE057"}},
		{"sshpass", "copy.sh", "sshpass -p " + password + " scp file host:\n", []string{"SE057"}},
		{"curl -u literal", "api.sh", "curl -u admin:" + password + " https://api.internal.test/\n", []string{"SE057"}},
		{"curl -u variable", "api.sh", "curl -u \"admin:$PASS\" https://api.internal.test/\n", nil},
		{"command in go source", "cmd/login.go", "const hint = \"docker login -u ci -p $TOKEN\"\n", nil},
		{"command in readme", "README.md", "    docker login -u ci -p \"$TOKEN\" ghcr.io\n", nil},
		{"command in script without extension", "bin/deploy",
			"#!/bin/sh\ndocker login -u ci -p \"$TOKEN\" ghcr.io\n", []string{"SE057"}},
		{"command in makefile", "Makefile", "login:\n\tdocker login -u ci -p $(TOKEN) ghcr.io\n", []string{"SE057"}},
		{"dotenv short password", ".env", "DB_USER=app\nDB_PASSWORD=hunter2\nDEBUG=1\n", []string{"SE055"}},
		{"dotenv reference", ".env", "DB_PASSWORD=${DB_PASSWORD}\nDB_PASSWORD_FILE=/run/secrets/db\n", nil},
		{"dotenv token once", "prod.env", "GITHUB_TOKEN=" + token + "\n", []string{"SE010"}},
		{"dotenv template", ".env.example", "DB_PASSWORD=hunter2\nSECRET_KEY=dev-only-key\n", nil},
		{"fixture path skipped", "testdata/creds.env", "GITHUB_TOKEN=" + token + "\n", nil},
		{"source code reference", "app.py", "password = os.environ[\"DB_PASSWORD\"]\ntoken = get_token()\n", nil},
		{"yaml secret reference", "deploy.yaml",
			"apiVersion: v1\nkind: Pod\nspec:\n  volumes:\n  - name: certs\n    secret:\n      secretName: app-tls\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := analyze(t, tt.path, tt.content)
			require.Equal(t, tt.want, ruleIDs(fs), "findings: %+v", fs)
			for _, f := range fs {
				require.NotContains(t, f.Message, token)
				require.NotContains(t, f.Message, password)
			}
		})
	}
}

func TestKubernetesSecretMessageNamesDetector(t *testing.T) {
	token := secrettest.NewGenerator(3).GitHubToken("ghp_")
	fs := analyze(t, "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ndata:\n  token: "+
		base64.StdEncoding.EncodeToString([]byte(token))+"\n")
	require.Len(t, fs, 1)
	require.Contains(t, fs[0].Message, "GitHub token")
	require.Contains(t, fs[0].Message, `"token"`)
	require.False(t, strings.Contains(fs[0].Message, token))
}

func TestKubernetesSecretKeys(t *testing.T) {
	g := secrettest.NewGenerator(5)
	token := g.GitHubToken("ghp_")
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, key, value string
		want             string // message text after the key; empty: not reported
	}{
		{"user name", "db-zbx-user", b64("zabbix"), ""},
		{"username", "username", b64("admin"), ""},
		{"login", "LOGIN", b64("deploy"), ""},
		{"host", "DB_HOST", b64("db.internal"), ""},
		{"port", "db-port", b64("5432"), ""},
		{"database name", "POSTGRES_DB", b64("app"), ""},
		{"database name camel case", "databaseName", b64("app"), ""},
		{"email", "admin-email", b64("ops@example.com"), ""},
		{"url without password", "api-url", b64("https://api.example.com/v1"), ""},
		{"url with password", "ldap-url", b64("ldaps://cn=app:" + "Zq8rT2wLm4@ldap:636/"), "a URL with a password"},
		{"broker url with password", "broker-url", b64("amqp://app:" + "Zq8rT2wLm4@mq:5672/"),
			"message broker URL with a password " + secrets.Mask},
		{"database url with password", "database-url", b64("postgres://app:" + "Zq8rT2wLm4@db/app"),
			"database URL with a password"},
		{"token under a user key", "bot-user", b64(token), "GitHub token"},
		{"password", "db-zbx-pass", b64("zbx_password"), "password or secret assignment " + secrets.Mask},
		{"api token", "api-token", b64("short"), "password or secret assignment " + secrets.Mask},
		{"signing key", "signing-key", b64("0123456789abcdef"), "password or secret assignment " + secrets.Mask},
		{"credentials", "credentials", b64("a-credential-blob"), "password or secret assignment " + secrets.Mask},
		{"unnamed value", "config.json", b64(`{"debug": true}`), "a value of 15 bytes"},
		{"private key file", "tls.key", b64("-----BEGIN EC PRIVATE KEY-----\n" + g.PEMBody(121, "\n") +
			"\n-----END EC PRIVATE KEY-----\n"), "EC private key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := analyze(t, "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  "+
				tt.key+": "+tt.value+"\n")
			if tt.want == "" {
				require.Empty(t, fs)
				return
			}
			require.Len(t, fs, 1, "findings: %+v", fs)
			require.Equal(t, "SE056", fs[0].RuleID)
			require.Contains(t, fs[0].Message, fmt.Sprintf("key %q", tt.key))
			require.Contains(t, fs[0].Message, tt.want)
			require.NotContains(t, fs[0].Message, token)
			require.NotContains(t, fs[0].Message, "Zq8rT2wLm4")
		})
	}
}

func TestPasswordAssignmentMessage(t *testing.T) {
	password := "Xk9mQ2vLp7Rz4w8t"
	tests := []struct {
		name, path, content, want string
	}{
		{"ini file", "app.ini", "[db]\ndb_password = " + password + "\n",
			"db_password is assigned a literal value (password or secret assignment " + secrets.Mask + ")"},
		{"env file", ".env", "API_KEY=hunter22\n",
			"API_KEY is assigned a literal value (password or secret assignment " + secrets.Mask + ")"},
		{"env file with entropy", "prod.env", "DB_PASSWORD=" + password + "\n",
			"DB_PASSWORD is assigned a literal value (password or secret assignment " + secrets.Mask + ")"},
		{"xml element", "settings.xml", "<settings>\n  <password>" + password + "</password>\n</settings>\n",
			"password is assigned a literal value (password or secret assignment " + secrets.Mask + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := analyze(t, tt.path, tt.content)
			require.Len(t, fs, 1, "findings: %+v", fs)
			require.Equal(t, "SE055", fs[0].RuleID)
			require.Equal(t, tt.want, fs[0].Message)
		})
	}
}

func TestPrivateKeyMessageNamesKeyType(t *testing.T) {
	var keys int
	for _, p := range secrettest.Plants(7) {
		if p.RuleID != "SE026" && p.RuleID != "SE027" {
			continue
		}
		keys++
		t.Run(p.RuleID, func(t *testing.T) {
			fs := analyze(t, p.Path, p.Content)
			require.NotEmpty(t, fs)
			for _, f := range fs {
				require.Regexp(t, `^(RSA |EC |DSA |OpenSSH |PKCS #8 |encrypted PKCS #8 )?private key`, f.Message)
				require.NotContains(t, f.Message, "-----")
				require.NotContains(t, f.Message, secrets.Mask)
			}
		})
	}
	require.GreaterOrEqual(t, keys, 2, "planted PEM and OpenSSH keys")
}

// committedSecrets are corpus files that do commit secrets; the test
// below checks what is reported for them instead.
var committedSecrets = map[string]bool{"k8s/zabbix-kubernetes-multidoc.yaml": true}

// TestAnalyzerCorpusCommittedSecret checks the one corpus manifest that
// commits a Secret: a List item with test passwords and a user name, and
// a TLS Secret whose server and client keys are private keys beside
// certificates. The user name (db-zbx-user) is not reported, because a
// user name is not secret on its own.
func TestAnalyzerCorpusCommittedSecret(t *testing.T) {
	path := filepath.Join("..", "..", "..", "..", "shared", "corpus", "k8s", "zabbix-kubernetes-multidoc.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("shared corpus not available: %v", err)
	}
	fs := analyze(t, "kubernetes.yaml", string(data))
	var keys []string
	for _, f := range fs {
		require.Equal(t, "SE056", f.RuleID, f.Message)
		keys = append(keys, f.Message[strings.Index(f.Message, "key "):strings.Index(f.Message, " in ")])
	}
	require.Equal(t, []string{`key "db-root-pass"`, `key "db-zbx-pass"`,
		`key "server-key.pem"`, `key "client-key.pem"`}, keys, "certificates and user names are not secret")
	require.Contains(t, fs[0].Message, "password or secret assignment "+secrets.Mask)
	require.Contains(t, fs[2].Message, "RSA private key")
	require.Contains(t, fs[3].Message, "RSA private key")
	for _, f := range fs {
		require.NotContains(t, f.Message, "-----", "no PEM armour in %q", f.Message)
	}
}

// TestAnalyzerSharedCorpusHasNoFindings runs the analyzer, with its
// manifest and command-line rules, over real secret-free files.
func TestAnalyzerSharedCorpusHasNoFindings(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "shared", "corpus")
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
		if committedSecrets[filepath.ToSlash(rel)] {
			return nil
		}
		f := &engine.File{Path: rel, Rel: filepath.ToSlash(rel), Data: data, Binary: bytes.IndexByte(data, 0) >= 0}
		res := Analyzer{}.Analyze(context.Background(), f, &engine.Env{Config: config.Default()})
		for _, fd := range res.Findings {
			t.Errorf("%s:%d: %s %s", rel, fd.Location.StartLine, fd.RuleID, fd.Message)
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 100)
}

func TestAnalyzerComposeEnvFile(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  app:\n    image: app\n    env_file: config/app-settings\n" +
		"  worker:\n    image: app\n    env_file:\n      - path: config/worker.vars\n        required: false\n" +
		"      - .env\n      - ../outside.vars\n"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "config"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config", "app-settings"),
		[]byte("DEBUG=1\nDB_PASSWORD=hunter2\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config", "worker.vars"),
		[]byte("QUEUE_TOKEN=abc12345\nQUEUE_TOKEN_FILE=/run/secrets/q\n"), 0o644))
	reg, err := rule.NewRegistry(Rules...)
	require.NoError(t, err)
	rep, err := engine.New(reg, Analyzer{}).Check(context.Background(), []string{dir},
		engine.Options{Config: config.Default()})
	require.NoError(t, err)
	var got []string
	for _, fd := range rep.Findings {
		rel, _ := filepath.Rel(dir, fd.Location.Path)
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), fd.Location.StartLine, fd.RuleID))
		require.NotContains(t, fd.Message, "hunter2")
		require.NotContains(t, fd.Message, "abc12345")
	}
	// hunter2 is too short for the generic detector, so only the env_file
	// reference makes it a finding. The worker's token is found by the
	// walk itself and reported once.
	require.ElementsMatch(t, []string{"config/app-settings:2 SE055", "config/worker.vars:1 SE055"}, got)
}
