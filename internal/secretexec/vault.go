package secretexec

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	vault "github.com/hashicorp/vault/api"
)

// VaultPrefix marks an environment value as a Vault reference, as in
// DB_PASSWORD=vault:secret/app/db#password.
const VaultPrefix = "vault:"

// vaultRef is one value to read from a KV version 2 engine.
type vaultRef struct {
	name        string // variable to set
	mount, path string
	key         string
	raw         string
}

// parseVaultRef reads "mount/path#key": the first path segment is the
// engine's mount, the rest the secret's path, and key the field.
func parseVaultRef(name, ref string) (vaultRef, error) {
	p, key, ok := strings.Cut(ref, "#")
	mount, rest, ok2 := strings.Cut(strings.Trim(p, "/"), "/")
	if !ok || !ok2 || key == "" || mount == "" || rest == "" {
		return vaultRef{}, fmt.Errorf("%s: invalid Vault reference %q: write it as MOUNT/PATH#KEY, such as secret/app/db#password", name, ref)
	}
	return vaultRef{name: name, mount: mount, path: rest, key: key, raw: ref}, nil
}

// vaultRefs collects the references of --vault flags and of environment
// values that start with VaultPrefix.
func vaultRefs(env *envMap, flags map[string]string) map[string]string {
	refs := map[string]string{}
	for _, name := range env.names() {
		if v, ok := strings.CutPrefix(env.get(name), VaultPrefix); ok {
			refs[name] = v
		}
	}
	for name, ref := range flags {
		refs[name] = ref
	}
	return refs
}

func resolveVault(env *envMap, refs map[string]string, opts Options, res *Result) []error {
	client, err := vaultClient(env, opts, res)
	if err != nil {
		return []error{err}
	}
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cache := map[string]*vault.KVSecret{}
	var errs []error
	for _, name := range names {
		ref, err := parseVaultRef(name, refs[name])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		id := ref.mount + "/" + ref.path
		s, ok := cache[id]
		if !ok {
			s, err = client.KVv2(ref.mount).Get(ctx, ref.path)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: reading Vault secret %q: %w", name, id, err))
				continue
			}
			cache[id] = s
		}
		raw, ok := s.Data[ref.key]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: Vault secret %q has no key %q", name, id, ref.key))
			continue
		}
		value, ok := raw.(string)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: key %q of Vault secret %q is not a string", name, ref.key, id))
			continue
		}
		env.set(name, value)
		res.Variables = append(res.Variables, Variable{Name: name, Source: "vault:" + ref.raw, value: value})
	}
	return errs
}

// vaultClient connects to VAULT_ADDR with a token from VAULT_TOKEN_FILE
// (or VAULT_TOKEN), or logs in with AppRole (VAULT_ROLE_ID and
// VAULT_SECRET_ID_FILE or VAULT_SECRET_ID; VAULT_APPROLE_MOUNT, default
// "approle"). VAULT_CACERT and VAULT_NAMESPACE are honoured.
func vaultClient(env *envMap, opts Options, res *Result) (*vault.Client, error) {
	addr := env.get("VAULT_ADDR")
	if addr == "" {
		return nil, errors.New("Vault references need VAULT_ADDR, the address of the Vault server")
	}
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid VAULT_ADDR %q: write it as https://HOST:PORT", addr)
	}
	if u.Scheme == "http" && !opts.AllowHTTPVault {
		return nil, fmt.Errorf("VAULT_ADDR %q uses plain HTTP, which sends the token and the secrets "+
			"unencrypted: use https, or pass --vault-allow-http for a server on the same host", addr)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid VAULT_ADDR %q: the scheme must be https", addr)
	}

	cfg := vault.DefaultConfig()
	cfg.Address = addr
	if ca := env.get("VAULT_CACERT"); ca != "" {
		if err := cfg.ConfigureTLS(&vault.TLSConfig{CACert: ca}); err != nil {
			return nil, fmt.Errorf("reading VAULT_CACERT %q: %w", ca, err)
		}
	}
	client, err := vault.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating Vault client for %s: %w", addr, err)
	}
	client.ClearToken()
	if ns := env.get("VAULT_NAMESPACE"); ns != "" {
		client.SetNamespace(ns)
	}

	token, err := vaultToken(env, client, opts, res)
	if err != nil {
		return nil, err
	}
	client.SetToken(token)
	return client, nil
}

func vaultToken(env *envMap, client *vault.Client, opts Options, res *Result) (string, error) {
	if path := env.get("VAULT_TOKEN_FILE"); path != "" {
		t, err := readSecretFile(path, Options{Newline: TrimAll, Logger: opts.Logger}, res)
		if err != nil {
			return "", fmt.Errorf("VAULT_TOKEN_FILE: %w", err)
		}
		return strings.TrimSpace(t), nil
	}
	if t := env.get("VAULT_TOKEN"); t != "" {
		return t, nil
	}
	return appRoleLogin(env, client, opts, res)
}

// appRoleLogin logs in with VAULT_ROLE_ID and the secret ID from
// VAULT_SECRET_ID_FILE or VAULT_SECRET_ID, and returns the client token.
func appRoleLogin(env *envMap, client *vault.Client, opts Options, res *Result) (string, error) {
	roleID := env.get("VAULT_ROLE_ID")
	if roleID == "" {
		return "", errors.New("Vault references need credentials: set VAULT_TOKEN_FILE to a token " +
			"file, or VAULT_ROLE_ID and VAULT_SECRET_ID_FILE for AppRole")
	}
	secretID := env.get("VAULT_SECRET_ID")
	if path := env.get("VAULT_SECRET_ID_FILE"); path != "" {
		s, err := readSecretFile(path, Options{Newline: TrimAll, Logger: opts.Logger}, res)
		if err != nil {
			return "", fmt.Errorf("VAULT_SECRET_ID_FILE: %w", err)
		}
		secretID = strings.TrimSpace(s)
	}

	mount := env.get("VAULT_APPROLE_MOUNT")
	if mount == "" {
		mount = "approle"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	login := map[string]any{"role_id": roleID}
	if secretID != "" {
		login["secret_id"] = secretID
	}
	s, err := client.Logical().WriteWithContext(ctx, "auth/"+strings.Trim(mount, "/")+"/login", login)
	if err != nil {
		return "", fmt.Errorf("logging in to Vault with AppRole at auth/%s: %w", mount, err)
	}
	if s == nil || s.Auth == nil || s.Auth.ClientToken == "" {
		return "", fmt.Errorf("logging in to Vault with AppRole at auth/%s: the response has no token", mount)
	}
	return s.Auth.ClientToken, nil
}
