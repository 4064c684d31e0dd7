// Package secrets holds the SE rules: one per detector of the secrets
// package, which report credentials in file contents and image layers,
// and the rules for committed Kubernetes Secret manifests and secrets on
// command lines. The analyzer runs them on every file of a tree; ScanTree
// runs them on an image.
package secrets

import (
	"fmt"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

// rotateFix is the advice shared by every detector rule.
const rotateFix = "Revoke the credential and issue a new one, because a value that reached a " +
	"file, a repository or an image must be treated as public. Remove it from the file and from " +
	"version-control history, and give the new one to the application at run time: a Docker or " +
	"Kubernetes secret mounted as a file (and read with `dockward exec --env-from-files` where " +
	"the application expects a variable), or a build secret (`RUN --mount=type=secret`) for builds."

// KubernetesSecretManifest fires on a Kubernetes Secret whose data is
// committed to the repository.
var KubernetesSecretManifest = &rule.Rule{
	ID: "SE056", Slug: "kubernetes-secret-committed", Severity: finding.High, Kind: rule.KindSecret,
	Title: "Kubernetes Secret manifest commits its data",
	Description: "A Secret manifest with `data` or `stringData` keeps the secret values in the " +
		"repository. `data` is only base64-encoded, not encrypted, so anyone with read access to " +
		"the repository can decode it. The message names the key and, when a detector recognises " +
		"the decoded value, the kind of credential. Keys whose names say they hold data that is " +
		"not secret on its own (a user name or login, a host, port or address, a database name, an " +
		"email address, or a URL) are reported only when a token detector recognises the value or " +
		"the URL carries a password.",
	Fix: "Keep Secret values out of the repository: create the Secret from files at deploy time " +
		"(`kubectl create secret generic app --from-file=password=./password.txt`), or commit only " +
		"an encrypted form (Sealed Secrets, SOPS) or a reference (External Secrets Operator).",
	Bad: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: <base64 value>",
	Good: "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n" +
		"  encryptedData:\n    password: <ciphertext>",
	Limits: "Values that are empty, placeholders or template expressions (`{{ .Values.x }}`, " +
		"`${VAR}`) are not reported. Secrets of type kubernetes.io/service-account-token without " +
		"data are not reported. Keys are judged by the last word of their name (db-zbx-user is a " +
		"user name, db-zbx-pass a password), so a secret stored under a key such as `admin-user` or " +
		"`server` is missed unless its value has a known token format. Other keys, whose names say " +
		"nothing either way, are reported with the length of the value.",
}

// CommandLineSecret fires on a shell command that puts a secret on a
// command line.
var CommandLineSecret = &rule.Rule{
	ID: "SE057", Slug: "secret-on-command-line", Severity: finding.High, Kind: rule.KindSecret,
	Title: "Secret passed on a command line",
	Description: "A command line is visible to every user of the host through `ps` and " +
		"/proc/PID/cmdline, is kept in shell history, and a literal in a script is committed with " +
		"it. This rule finds `echo SECRET | docker secret create`, `docker login -p`, " +
		"`mysql -pSECRET`, `sshpass -p` and `curl -u user:password` in scripts, Dockerfiles, " +
		"Makefiles and CI files.",
	Fix: "Read the secret from a file or standard input instead: `docker secret create db_password " +
		"./db_password.txt`, `docker login -u USER --password-stdin < token.txt`, an option file for " +
		"MySQL (`mysql --defaults-extra-file=/run/secrets/my.cnf`), `sshpass -f FILE`, and " +
		"`curl --netrc-file FILE`.",
	Bad:  "echo \"s3cr3t-pa55\" | docker secret create db_password -\ndocker login -u ci -p \"$TOKEN\" registry.example.com",
	Good: "docker secret create db_password ./db_password.txt\ndocker login -u ci --password-stdin registry.example.com < token.txt",
	Limits: "Only files that run shell commands are searched: shell scripts (by extension or a #! " +
		"line), Dockerfiles, Makefiles, YAML (CI jobs, exec probes), Terraform and shell histories. " +
		"Values that are variable references (`echo \"$VAR\" | docker secret create`, " +
		"`mysql -p\"$VAR\"`) are not reported, because the file holds no value; `docker login -p " +
		"\"$VAR\"` is, as Docker itself warns that the expanded password is visible. Commands " +
		"assembled at run time (eval, variables holding the command) are not seen.",
}

var (
	detectorRules = buildDetectorRules()

	// Rules lists every SE rule.
	Rules = append(append([]*rule.Rule{}, detectorRules...), KubernetesSecretManifest, CommandLineSecret)

	byID = func() map[string]*rule.Rule {
		m := map[string]*rule.Rule{}
		for _, r := range Rules {
			m[r.ID] = r
		}
		return m
	}()
)

// Lookup returns the SE rule with the given ID.
func Lookup(id string) (*rule.Rule, bool) {
	r, ok := byID[id]
	return r, ok
}

func buildDetectorRules() []*rule.Rule {
	var rs []*rule.Rule
	for _, d := range secrets.Detectors() {
		rs = append(rs, detectorRule(d))
	}
	return rs
}

func detectorRule(d *secrets.Detector) *rule.Rule {
	desc := fmt.Sprintf("Finds %s: %s. Anyone who can read the file, the repository or an "+
		"image that contains it can use the credential. %s", withArticle(d.Name), d.Format, redactionText(d))
	var limits []string
	if d.Validate != nil {
		limits = append(limits, "Candidates are validated (checksum, encoding or length) before they are "+
			"reported, so a value of the right shape that fails validation is not reported.")
	}
	if d.MinEntropy > 0 {
		limits = append(limits, fmt.Sprintf("Values with less than %.1f bits of entropy per character "+
			"(scaled down for short values) are not reported.", d.MinEntropy))
	}
	if d.Generic {
		limits = append(limits, "Names ending in _FILE, _PATH, _URL, _ID, _NAME, _LENGTH and similar "+
			"metadata words, values that look like code (calls, attribute paths such as "+
			"process.env.API_KEY), paths and numbers are not reported. A weak password without digits "+
			"or symbols can be missed. Test sources (*_test.go, test_*.py, *.spec.*, tests/, spec/), "+
			"documentation (*.md, *.rst, *.adoc) and templates (*.example, *.sample, *.template, "+
			"*.dist) are not searched by this detector, because their assignments are mostly "+
			"samples; the detectors of specific formats still search them. Besides key = value "+
			"forms, XML elements such as <password>value</password> are read.")
	}
	limits = append(limits, "Documented example keys, placeholders (changeme, <password>, ${VAR}, "+
		"{{ template }}) and files under test-fixture paths (testdata/, fixtures/) are not reported; "+
		"see the secrets section in docs/config.md to change the allow-lists.")
	return &rule.Rule{
		ID: d.ID, Slug: d.Slug, Severity: d.Severity, Kind: rule.KindSecret,
		Title:       strings.ToUpper(d.Name[:1]) + d.Name[1:] + " in plain text",
		Description: desc,
		Fix:         rotateFix,
		Bad:         d.Example,
		Good:        goodExample(d),
		Limits:      strings.Join(limits, " "),
	}
}

// redactionText describes how much of a detector's value its findings
// show, following the detector's Prefix and the private key labels.
func redactionText(d *secrets.Detector) string {
	if d.Generic {
		return "Reports show none of the value, only the key it is assigned to, because a few " +
			"characters of a short password are a large share of it."
	}
	example := d.Example
	if i := strings.Index(example, "-----BEGIN"); i >= 0 {
		example = example[i:] // a key inside JSON, as in a service-account file
	}
	label := secrets.Redact(example)
	if strings.HasSuffix(label, "private key") || strings.HasSuffix(label, "private key block") {
		return "Reports show the key type from the BEGIN line, such as \"" + label +
			"\", and never any key material."
	}
	if d.Prefix == nil {
		return "Reports show none of the value, because the format has no public prefix."
	}
	return "Reports show only the documented prefix that names the format and mask the rest."
}

// goodExample shows the value delivered as a file instead.
func goodExample(d *secrets.Detector) string {
	name := strings.ToUpper(strings.ReplaceAll(d.Slug, "-", "_"))
	return fmt.Sprintf("# the value lives in a secret store and reaches the container as a file\n"+
		"%s_FILE=/run/secrets/%s", name, strings.ReplaceAll(d.Slug, "-", "_"))
}

func withArticle(name string) string {
	if strings.ContainsRune("AEIOaeio", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
