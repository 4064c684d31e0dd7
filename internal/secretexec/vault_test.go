package secretexec

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// vaultStandIn is a loopback HTTP server that follows Vault's documented
// API for the calls dockward makes: KV version 2 reads
// (GET /v1/MOUNT/data/PATH with the X-Vault-Token header) and AppRole
// login (PUT or POST /v1/auth/approle/login). It is not Vault: no Vault server
// can be installed here, so this stand-in checks the client side only.
type vaultStandIn struct {
	mu      sync.Mutex
	tokens  map[string]bool
	roleID  string
	secret  string
	kv      map[string]map[string]any // "mount/path" -> data
	readers []string                  // tokens seen on reads
}

func newVaultStandIn() *vaultStandIn {
	return &vaultStandIn{
		tokens: map[string]bool{"standin-root-token-0123456789": true},
		roleID: "role-1234", secret: "secret-id-5678",
		kv: map[string]map[string]any{
			"secret/app/db": {"password": "db-pass-from-vault-42", "user": "app"},
			"kv/team/api":   {"key": "api-key-from-vault-99", "count": 3},
		},
	}
}

func (v *vaultStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	writeJSON := func(code int, body any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(body)
	}
	// Vault accepts PUT and POST alike for writes; the Go client sends PUT.
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && r.URL.Path == "/v1/auth/approle/login" {
		var req struct {
			RoleID   string `json:"role_id"`
			SecretID string `json:"secret_id"`
		}
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.RoleID != v.roleID || req.SecretID != v.secret {
			writeJSON(http.StatusBadRequest, map[string]any{"errors": []string{"invalid role or secret ID"}})
			return
		}
		token := "approle-issued-token-abcdef"
		v.tokens[token] = true
		writeJSON(http.StatusOK, map[string]any{"auth": map[string]any{"client_token": token,
			"accessor": "acc", "policies": []string{"app"}, "lease_duration": 3600, "renewable": true}})
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/v1/")
	mount, p, _ := strings.Cut(rest, "/data/")
	if !ok || r.Method != http.MethodGet || p == "" {
		writeJSON(http.StatusNotFound, map[string]any{"errors": []string{}})
		return
	}
	token := r.Header.Get("X-Vault-Token")
	v.readers = append(v.readers, token)
	if !v.tokens[token] {
		writeJSON(http.StatusForbidden, map[string]any{"errors": []string{"permission denied"}})
		return
	}
	data, found := v.kv[mount+"/"+p]
	if !found {
		writeJSON(http.StatusNotFound, map[string]any{"errors": []string{}})
		return
	}
	writeJSON(http.StatusOK, map[string]any{"data": map[string]any{"data": data,
		"metadata": map[string]any{"created_time": "2024-01-01T00:00:00Z", "version": 1,
			"destroyed": false, "deletion_time": ""}}})
}

func TestVaultTokenFile(t *testing.T) {
	sv := newVaultStandIn()
	srv := httptest.NewServer(sv)
	defer srv.Close()
	tokenFile := writeSecret(t, t.TempDir(), "token", "standin-root-token-0123456789\n", 0o400)

	res, err := Resolve(Options{
		Env: []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + tokenFile,
			"DB_PASSWORD=vault:secret/app/db#password", "OTHER=kept"},
		Vault:          map[string]string{"API_KEY": "kv/team/api#key"},
		AllowHTTPVault: true,
	})
	require.NoError(t, err)
	got, _ := envValue(res.Env, "DB_PASSWORD")
	require.Equal(t, "db-pass-from-vault-42", got)
	got, _ = envValue(res.Env, "API_KEY")
	require.Equal(t, "api-key-from-vault-99", got)
	got, _ = envValue(res.Env, "OTHER")
	require.Equal(t, "kept", got)
	for _, kv := range res.Env {
		require.NotContains(t, kv, "standin-root-token")
		require.False(t, strings.HasPrefix(kv, "VAULT_TOKEN"), kv)
	}
	require.Len(t, res.Variables, 2)
	require.Equal(t, "vault:kv/team/api#key", res.Variables[0].Source)
	require.Contains(t, sv.readers, "standin-root-token-0123456789")
}

func TestVaultAppRole(t *testing.T) {
	sv := newVaultStandIn()
	srv := httptest.NewServer(sv)
	defer srv.Close()
	secretIDFile := writeSecret(t, t.TempDir(), "secret-id", "secret-id-5678\n", 0o400)

	res, err := Resolve(Options{
		Env: []string{"VAULT_ADDR=" + srv.URL, "VAULT_ROLE_ID=role-1234",
			"VAULT_SECRET_ID_FILE=" + secretIDFile, "DB_PASSWORD=vault:secret/app/db#password"},
		AllowHTTPVault: true,
	})
	require.NoError(t, err)
	got, _ := envValue(res.Env, "DB_PASSWORD")
	require.Equal(t, "db-pass-from-vault-42", got)
	for _, kv := range res.Env {
		require.False(t, strings.HasPrefix(kv, "VAULT_ROLE_ID") || strings.HasPrefix(kv, "VAULT_SECRET_ID"), kv)
		require.NotContains(t, kv, "approle-issued-token")
	}
	require.Contains(t, sv.readers, "approle-issued-token-abcdef")
}

func TestVaultTLS(t *testing.T) {
	srv := httptest.NewTLSServer(newVaultStandIn())
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
		Bytes: srv.Certificate().Raw}), 0o644))
	tokenFile := writeSecret(t, dir, "token", "standin-root-token-0123456789", 0o400)

	res, err := Resolve(Options{Env: []string{"VAULT_ADDR=" + srv.URL, "VAULT_CACERT=" + ca,
		"VAULT_TOKEN_FILE=" + tokenFile, "DB_USER=vault:secret/app/db#user"}})
	require.NoError(t, err)
	got, _ := envValue(res.Env, "DB_USER")
	require.Equal(t, "app", got)
}

func TestVaultErrors(t *testing.T) {
	srv := httptest.NewServer(newVaultStandIn())
	defer srv.Close()
	dir := t.TempDir()
	good := writeSecret(t, dir, "good", "standin-root-token-0123456789", 0o400)
	bad := writeSecret(t, dir, "bad", "wrong-token-that-must-not-leak", 0o400)
	open := writeSecret(t, dir, "open", "standin-root-token-0123456789", 0o606)

	tests := []struct {
		name      string
		env       []string
		allowHTTP bool
		want      string
	}{
		{"plain http refused", []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + good,
			"A=vault:secret/app/db#password"}, false, "plain HTTP"},
		{"no address", []string{"VAULT_TOKEN_FILE=" + good, "A=vault:secret/app/db#password"}, true, "VAULT_ADDR"},
		{"no credentials", []string{"VAULT_ADDR=" + srv.URL, "A=vault:secret/app/db#password"}, true,
			"VAULT_TOKEN_FILE"},
		{"wrong token", []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + bad,
			"A=vault:secret/app/db#password"}, true, "permission denied"},
		{"missing key", []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + good,
			"A=vault:secret/app/db#nope"}, true, `no key "nope"`},
		{"not a string", []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + good,
			"A=vault:kv/team/api#count"}, true, "not a string"},
		{"missing secret", []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + good,
			"A=vault:secret/app/none#x"}, true, "secret/app/none"},
		{"bad reference", []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + good,
			"A=vault:nokey"}, true, "MOUNT/PATH#KEY"},
		{"token file writable by others", []string{"VAULT_ADDR=" + srv.URL, "VAULT_TOKEN_FILE=" + open,
			"A=vault:secret/app/db#password"}, true, "writable by other users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(Options{Env: tt.env, AllowHTTPVault: tt.allowHTTP})
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.NotContains(t, err.Error(), "wrong-token-that-must-not-leak")
			require.NotContains(t, err.Error(), "standin-root-token")
		})
	}
}
