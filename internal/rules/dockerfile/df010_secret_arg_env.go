package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

var df010 = &rule.Rule{
	ID: "DF010", Slug: "secret-in-arg-or-env", Severity: finding.High, Kind: rule.KindDockerfile, CIS: "4.10",
	Title: "Secret-like ARG or ENV",
	Description: "ENV values are stored in the image config and ARG values in the build history, " +
		"where anyone who can pull the image reads them with `docker history` or `docker " +
		"inspect`. A build argument named like a credential (an `ARG NPM_TOKEN` without a " +
		"default is passed with `--build-arg`) ends up there too. Values are redacted in every " +
		"report.",
	Fix: "Pass the secret as a build secret and read it only in the RUN that needs it: " +
		"`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` with " +
		"`docker build --secret id=npm_token,env=NPM_TOKEN .`; give running containers secrets " +
		"through files (`*_FILE` variables, Docker secrets).",
	Bad:  "FROM node:24-alpine\nARG NPM_TOKEN\nENV DB_PASSWORD=hunter2hunter2\nRUN npm ci",
	Good: "FROM node:24-alpine\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\nENV DB_PASSWORD_FILE=/run/secrets/db_password",
	Limits: "Names are matched on common credential words (PASSWORD, SECRET, TOKEN, API_KEY, " +
		"PRIVATE_KEY, ACCESS_KEY, CREDENTIALS); values on the secret detectors. Variables " +
		"ending in _FILE, _PATH or _DIR, public key fingerprints such as GPG_KEY, and values " +
		"that are references (`$OTHER`) or placeholders are not reported.",
}

var (
	secretName  = regexp.MustCompile(`(?i)(^|_)(PASS(WORD|WD)?|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY)($|_)`)
	notSecretSx = regexp.MustCompile(`(?i)_(FILE|PATH|DIR|URL_FILE|LENGTH|LEN|SIZE|TTL|TIMEOUT|EXPIRY|EXPIRES|ENDPOINT|HEADER|NAME|TYPE|ID)$`)
)

func checkSecretArgEnv(c *Context) {
	for _, in := range c.File.Instructions {
		switch cmd := in.Command.(type) {
		case *instructions.ArgCommand:
			for _, kv := range cmd.Args {
				value := ""
				if kv.Value != nil {
					value = *kv.Value
				}
				c.secretPair(in, "ARG", kv.Key, value, kv.Value == nil)
			}
		case *instructions.EnvCommand:
			for _, kv := range cmd.Env {
				c.secretPair(in, "ENV", kv.Key, kv.Value, false)
			}
		}
	}
}

func (c *Context) secretPair(in *dockerfile.Instruction, kind, name, value string, noDefault bool) {
	if m, ok := secrets.Classify(name, value); ok {
		c.report(df010, in, "%s %s holds a secret (%s: %s); it is stored in the image %s",
			kind, name, m.Detector, m.Redacted, storedIn(kind))
		return
	}
	// A secret inside a longer value, such as -Dpassword=... in JAVA_OPTS,
	// is found by scanning the value as text.
	if ms := secrets.Default().Scan("", []byte(value)); len(ms) > 0 {
		c.report(df010, in, "%s %s contains a secret (%s: %s); it is stored in the image %s",
			kind, name, ms[0].Detector, ms[0].Redacted, storedIn(kind))
		return
	}
	if !secretName.MatchString(name) || notSecretSx.MatchString(name) {
		return
	}
	switch {
	case noDefault:
		c.report(df010, in, "ARG %s is named like a credential; a value passed with --build-arg is recorded in the image history", name)
	case isReference(value):
		if kind == "ENV" {
			c.report(df010, in, "ENV %s copies %s into the image config, where every user of the image can read it", name, value)
		}
	}
}

func storedIn(kind string) string {
	if kind == "ARG" {
		return "history"
	}
	return "config"
}

// isReference reports whether a value only refers to another variable.
func isReference(v string) bool {
	v = strings.TrimSpace(v)
	return strings.HasPrefix(v, "$") && !strings.ContainsAny(strings.Trim(v, "${}"), " /:")
}
