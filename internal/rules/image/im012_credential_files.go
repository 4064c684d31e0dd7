package image

import (
	"bytes"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

var im012 = &rule.Rule{
	ID: "IM012", Slug: "image-credential-files", Severity: finding.High, Kind: rule.KindImage,
	Title: "Private keys, credentials, .env files or .git directories in the image",
	Description: "Files that hold credentials end up in images through a broad `COPY . .` or a " +
		"build step that logs in: SSH and TLS private keys, cloud credentials (AWS, Google " +
		"Cloud, Azure), registry and package-registry logins (Docker config.json, .npmrc, " +
		".pypirc, .netrc, .git-credentials), Kubernetes kubeconfigs, .env files, and whole .git " +
		"directories with their history. Anyone who can pull the image can read them, also " +
		"when a later layer deleted the file: the layer that added it still holds it, and the " +
		"finding says which.",
	Fix: "Remove the file from the build context (.dockerignore: `.git`, `.env*`, `*.pem`, " +
		"`id_*`), rotate the credential, and pass build-time secrets with " +
		"`RUN --mount=type=secret` or `--mount=type=ssh`.",
	Bad:  "COPY . /app\n# the context holds .env, .git/ and deploy_key.pem",
	Good: "# .dockerignore lists .git, .env*, *.pem\nCOPY . /app",
	Limits: "Files inside installed language packages (site-packages, dist-packages, " +
		"node_modules, vendor/bundle) belong to their authors and are skipped. Private keys under " +
		"/usr/share and in test directories are treated as test fixtures. Files over 1 MiB are not read.",
}

// maxCredentialSize caps the credential candidates whose content is read.
const maxCredentialSize = 1 << 20

// credentialFile is a file known to hold credentials, and the text that
// shows it holds one; nil marker means its presence is enough.
type credentialFile struct {
	suffix string
	what   string
	marker *regexp.Regexp
}

var credentialFiles = []credentialFile{
	{"/.aws/credentials", "AWS credentials", regexp.MustCompile(`(?i)aws_secret_access_key\s*=\s*\S`)},
	{"/.config/gcloud/application_default_credentials.json", "Google Cloud credentials", nil},
	{"/.config/gcloud/credentials.db", "Google Cloud credentials", nil},
	{"/.azure/accessTokens.json", "Azure CLI tokens", nil},
	{"/.azure/msal_token_cache.json", "Azure CLI tokens", nil},
	{"/.docker/config.json", "Docker registry credentials",
		regexp.MustCompile(`"(auth|identitytoken|registrytoken)"\s*:\s*"[^"]+"`)},
	{"/.kube/config", "Kubernetes kubeconfig credentials",
		regexp.MustCompile(`(?m)^\s*(token|client-key-data|password)\s*:\s*\S`)},
	{"/.npmrc", "npm registry token", regexp.MustCompile(`(?i)(_authToken|_auth|_password)\s*=\s*\S`)},
	{"/.pypirc", "PyPI credentials", regexp.MustCompile(`(?mi)^\s*password\s*[=:]\s*\S`)},
	{"/.netrc", ".netrc credentials", regexp.MustCompile(`\bpassword\s+\S`)},
	{"/.git-credentials", "Git credentials", regexp.MustCompile(`://[^:/\s]+:[^@\s]+@`)},
	{"/.config/gh/hosts.yml", "GitHub CLI token", regexp.MustCompile(`oauth_token\s*:\s*\S`)},
	{"/.gem/credentials", "RubyGems API key", regexp.MustCompile(`:rubygems_api_key:\s*\S`)},
}

var privateKeyNames = map[string]bool{"id_rsa": true, "id_dsa": true, "id_ecdsa": true, "id_ed25519": true,
	"id_ecdsa_sk": true, "id_ed25519_sk": true}

var privateKeyHeader = regexp.MustCompile(`-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----|PuTTY-User-Key-File-`)

func isKeyCandidate(p string) bool {
	base := path.Base(p)
	switch path.Ext(base) {
	case ".pem", ".key", ".ppk", ".p8":
		return true
	}
	return privateKeyNames[base]
}

func isEnvFile(p string) bool {
	base := path.Base(p)
	if base != ".env" && !strings.HasPrefix(base, ".env.") {
		return false
	}
	switch path.Ext(base) {
	case ".example", ".sample", ".template", ".dist", ".defaults":
		return false
	}
	return true
}

// packageDirs hold installed language packages, whose own .env files,
// .git directories and test keys belong to their authors, not the image.
var packageDirs = []string{"/site-packages/", "/dist-packages/", "/node_modules/", "/vendor/bundle/"}

func inPackageDir(p string) bool {
	for _, s := range packageDirs {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

// isFixturePath reports whether a key at p is most likely a test fixture
// shipped by a package.
func isFixturePath(p string) bool {
	if inPackageDir(p) {
		return true
	}
	for _, s := range []string{"/test/", "/tests/", "/testdata/", "/fixtures/", "/testing/"} {
		if strings.Contains(p, s) {
			return true
		}
	}
	return strings.HasPrefix(p, "/usr/share/")
}

func isCredentialCandidate(p string) bool {
	if isKeyCandidate(p) || isEnvFile(p) {
		return true
	}
	for _, c := range credentialFiles {
		if strings.HasSuffix(p, c.suffix) {
			return true
		}
	}
	return false
}

// checkCredentialFiles reports credential files and .git directories.
// The copies of one path that layers wrote are reported together, see
// reportCredentialCopies.
func checkCredentialFiles(r *result) {
	earlier := map[string][]*inimage.Entry{}
	removed := r.in.Tree.Removed()
	for _, e := range removed {
		earlier[e.Path] = append(earlier[e.Path], e)
	}

	var deleted []finding.Finding
	visibleGit := map[string]bool{}
	for _, e := range r.in.Tree.Entries() {
		if inPackageDir(e.Path) {
			continue
		}
		if isGitDir(e) {
			visibleGit[e.Path] = true
			r.add(im012.New(r.entryLocation(e), "%s is a Git directory, with the repository's history and "+
				"possibly credentials in its config", e.Path))
		}
		copies := append(slices.Clone(earlier[e.Path]), e)
		delete(earlier, e.Path)
		deleted = append(deleted, reportCredentialCopies(r, copies)...)
	}
	// A Git directory that a later layer deleted still holds its history
	// in the layer that added it. It is reported once, at the earliest
	// layer that has it.
	deletedGit := map[string]*inimage.Entry{}
	for _, e := range removed {
		if inPackageDir(e.Path) {
			continue
		}
		if isGitDir(e) && !visibleGit[e.Path] {
			if first, ok := deletedGit[e.Path]; !ok || e.LayerIndex < first.LayerIndex {
				deletedGit[e.Path] = e
			}
		}
		if copies, ok := earlier[e.Path]; ok {
			deleted = append(deleted, reportCredentialCopies(r, copies)...)
		}
		delete(earlier, e.Path)
	}
	for _, p := range slices.Sorted(maps.Keys(deletedGit)) {
		e := deletedGit[p]
		deleted = append(deleted, im012.New(r.entryLocation(e), "%s is a Git directory, with the "+
			"repository's history and possibly credentials in its config; layer %d deleted it, but it "+
			"is still readable in layer %d", e.Path, e.RemovedBy, e.LayerIndex))
	}
	for _, f := range deleted {
		r.add(f)
	}
}

func isGitDir(e *inimage.Entry) bool {
	return e.Mode.IsDir() && path.Base(e.Path) == ".git"
}

// ReportsFile reports whether IM012 reports the file, so that the secret
// scanner can leave it to IM012 and one secret yields one finding.
func ReportsFile(e *inimage.Entry) bool {
	if !e.Mode.IsRegular() || inPackageDir(e.Path) {
		return false
	}
	_, ok := credentialKind(e)
	return ok
}

// credentialKind returns the kind of credential a file contains, if any.
func credentialKind(e *inimage.Entry) (string, bool) {
	switch {
	case isEnvFile(e.Path):
		return "environment settings (.env file)", true
	case isKeyCandidate(e.Path):
		if isFixturePath(e.Path) || e.Content == nil || !privateKeyHeader.Match(e.Content) {
			return "", false
		}
		if bytes.Contains(e.Content, []byte("ENCRYPTED")) {
			return "an encrypted private key", true
		}
		return "a private key", true
	}
	for _, c := range credentialFiles {
		if !strings.HasSuffix(e.Path, c.suffix) {
			continue
		}
		if c.marker != nil && (e.Content == nil || !c.marker.Match(e.Content)) {
			return "", false
		}
		return c.what, true
	}
	return "", false
}

// detectorNote names the secret detectors that recognise the content,
// so the same secret is not reported again as a separate SE finding.
func detectorNote(ms []secrets.Match) string {
	var names []string
	seen := map[string]bool{}
	for _, m := range ms {
		if !seen[m.Detector] {
			seen[m.Detector] = true
			names = append(names, m.Detector)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (detected: " + summarize(names, 5) + ")"
}
