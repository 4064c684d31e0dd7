package dockerfile

import (
	"bytes"
	"io/fs"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df024 = &rule.Rule{
	ID: "DF024", Slug: "sensitive-file-copied", Severity: finding.Medium, Kind: rule.KindDockerfile, CIS: "4.10",
	Title: "Sensitive file copied into the image, or whole context copied without .dockerignore",
	Description: "Private keys, `.env` files and cloud or registry credentials copied into an " +
		"image are readable by everyone who can pull it, even when a later layer deletes them. " +
		"`COPY . .` copies everything in the build context, including `.git` (history, and " +
		"sometimes tokens in its config) and `.env`, unless `.dockerignore` excludes them.",
	Fix: "Add a `.dockerignore` next to the Dockerfile that lists at least `.git` and `.env`, copy " +
		"only what the application needs, and pass credentials as build secrets " +
		"(`RUN --mount=type=secret`) or at run time.",
	Bad:  "FROM node:24-alpine\nWORKDIR /app\nCOPY . .\nCOPY .env /app/.env",
	Good: "# .dockerignore lists .git and .env\nFROM node:24-alpine\nWORKDIR /app\nCOPY package.json server.js ./",
	Limits: "The build context is taken to be the Dockerfile's directory. `.dockerignore` files " +
		"elsewhere, such as a context given on the command line, are not seen.",
}

// sensitiveNames are base names, or suffixes starting with ".", of files
// that hold credentials.
var sensitiveNames = []string{
	"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".key", ".p12", ".pfx", ".jks",
	".keystore", ".env", ".npmrc", ".pypirc", ".netrc", ".git-credentials", "credentials",
	"credentials.json", "kubeconfig", ".htpasswd", ".pgpass", ".boto", ".s3cfg", ".dockercfg",
	".kdbx", "service-account.json", ".tfstate",
}

// sensitiveDirs are directories whose content is credentials.
var sensitiveDirs = []string{".ssh", ".aws", ".gnupg", ".docker", ".kube", ".azure", ".gcloud"}

func checkSensitiveCopy(c *Context) {
	var ignore *patternmatcher.PatternMatcher
	ignoreRead := false
	for _, in := range c.File.Instructions {
		sources, ok := contextSources(in)
		if !ok {
			continue
		}
		for _, src := range sources {
			if name, ok := sensitiveSource(src); ok {
				c.report(df024, in, "%s copies %s, which holds %s, into the image", in.Keyword, src, name)
			}
		}
		if !copiesWholeContext(sources) {
			continue
		}
		if !ignoreRead {
			ignore, ignoreRead = c.dockerignore(), true
		}
		if missing := unexcluded(ignore); len(missing) > 0 && c.Env != nil && c.Env.Root != nil {
			c.report(df024, in, "%s copies the whole build context, and no .dockerignore excludes %s",
				in.Keyword, strings.Join(missing, " and "))
		}
	}
}

// contextSources returns the sources of a COPY or ADD that come from the
// build context (not from another stage or image).
func contextSources(in *dockerfile.Instruction) ([]string, bool) {
	switch c := in.Command.(type) {
	case *instructions.CopyCommand:
		if c.From != "" {
			return nil, false
		}
		return c.SourcePaths, true
	case *instructions.AddCommand:
		var local []string
		for _, s := range c.SourcePaths {
			if !isRemote(s) {
				local = append(local, s)
			}
		}
		return local, true
	}
	return nil, false
}

func sensitiveSource(src string) (string, bool) {
	clean := path.Clean(strings.TrimPrefix(src, "./"))
	base := strings.ToLower(path.Base(clean))
	if isEnvTemplate(base) {
		return "", false
	}
	// Certificates are public; only PEM files named as keys are secret.
	if strings.HasSuffix(base, ".pem") && (strings.Contains(base, "key") || strings.Contains(base, "priv")) {
		return describeSensitive(".pem"), true
	}
	for _, n := range sensitiveNames {
		dotted := strings.HasPrefix(n, ".")
		if base == n || (dotted && strings.HasSuffix(base, n)) || (n == ".env" && strings.HasPrefix(base, ".env.")) {
			return describeSensitive(n), true
		}
	}
	for _, part := range strings.Split(clean, "/") {
		for _, d := range sensitiveDirs {
			if strings.ToLower(part) == d {
				return "credentials (" + d + ")", true
			}
		}
	}
	return "", false
}

// isEnvTemplate reports whether a .env file is a committed template.
func isEnvTemplate(base string) bool {
	for _, s := range []string{".example", ".sample", ".template", ".dist", ".defaults"} {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

func describeSensitive(n string) string {
	switch {
	case strings.HasPrefix(n, "id_"), n == ".pem", n == ".key", n == ".p12", n == ".pfx",
		n == ".jks", n == ".keystore":
		return "a private key or certificate store"
	case n == ".env":
		return "environment secrets"
	case n == ".tfstate":
		return "Terraform state with secrets"
	}
	return "credentials"
}

func copiesWholeContext(sources []string) bool {
	for _, s := range sources {
		switch strings.TrimSuffix(s, "/") {
		case ".", "", "*", "./*", "./.":
			return true
		}
	}
	return false
}

// dockerignore reads the ignore file BuildKit would use for this
// Dockerfile: <Dockerfile>.dockerignore beside it, else .dockerignore in
// its directory.
func (c *Context) dockerignore() *patternmatcher.PatternMatcher {
	if c.Env == nil || c.Env.Root == nil {
		return nil
	}
	dir := path.Dir(c.engineFile.Rel)
	for _, name := range []string{path.Base(c.engineFile.Rel) + ".dockerignore", ".dockerignore"} {
		data, err := fs.ReadFile(c.Env.Root.FS(), path.Join(dir, name))
		if err != nil {
			continue
		}
		patterns, err := ignorefile.ReadAll(bytes.NewReader(data))
		if err != nil {
			return nil
		}
		pm, err := patternmatcher.New(patterns)
		if err != nil {
			return nil
		}
		return pm
	}
	return nil
}

// unexcluded returns which of .git and .env the ignore file lets through.
func unexcluded(pm *patternmatcher.PatternMatcher) []string {
	var out []string
	for _, p := range []string{".git", ".env"} {
		if pm == nil {
			out = append(out, p)
			continue
		}
		if ok, err := pm.MatchesOrParentMatches(p); err != nil || !ok {
			out = append(out, p)
		}
	}
	return out
}
