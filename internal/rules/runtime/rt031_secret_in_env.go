package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

// SecretInEnv fires on a secret written as a literal environment value.
var SecretInEnv = &rule.Rule{
	ID:       "RT031",
	Slug:     "secret-in-environment",
	Title:    "Secret given as a literal environment value",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "A password, token or key written into the command line, compose file or " +
		"manifest is stored in version control, shown by docker inspect and ps, and inherited " +
		"by every process in the container. The value is never shown in the finding.",
	Fix: "Pass a reference instead of the value. docker: `-e DB_PASSWORD` (copied from the " +
		"caller's environment) or an `--env-file` kept out of the repository, better a secret " +
		"file. Compose: `secrets:` with " +
		"`DB_PASSWORD_FILE: /run/secrets/db_password`. Kubernetes: `valueFrom.secretKeyRef`.",
	Bad:  "docker run -e DB_PASSWORD=s3cr3t-Pa55w0rd-9f1c2 postgres:16",
	Good: "docker run -e DB_PASSWORD postgres:16",
	Limits: "Secrets are recognised by their value (token formats) or by a name that usually " +
		"holds one; placeholders such as changeme and variable references are not reported. " +
		"-e NAME copies the caller's value, which only a live container or docker inspect " +
		"output shows, so only they report it. Env files named by `--env-file` or `env_file` " +
		"are read when they lie inside the scanned tree, and a finding points at the file's " +
		"line; a name without a value in them is the caller's and is not reported.",
}

func checkSecretInEnv(c *rt.Container, e *emitter) {
	for _, v := range c.Env {
		if !v.Literal || v.Unknown || v.Value == "" {
			continue
		}
		m, ok := secrets.Classify(v.Name, v.Value)
		if !ok {
			continue
		}
		e.at(v.Pos, "environment variable %s holds a literal secret (%s; value redacted)%s",
			v.Name, m.Detector, envFileUser(c, v))
	}
}

// envFileUser names the definition that reads a variable from an env file,
// because the finding points into the env file, which may serve several.
func envFileUser(c *rt.Container, v rt.EnvVar) string {
	if v.Pos.Path == "" || v.Pos.Path == c.Pos.Path {
		return ""
	}
	// The message starts with the service or container name, when the
	// source has one, so only a command line is named here.
	reader := c.Command
	switch {
	case reader != "":
	case c.Source == rt.SourceCompose:
		reader = "the service"
	default:
		reader = "the container"
	}
	return sprintf("; %s at %s reads it through %s", reader, c.Pos.String(),
		cli(c, "--env-file", "env_file", "envFrom"))
}
