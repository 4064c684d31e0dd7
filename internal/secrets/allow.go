package secrets

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	ignore "github.com/sabhiram/go-gitignore"

	"github.com/dockward/dockward/internal/config"
)

// DefaultFixturePaths are the gitignore-style patterns of test fixtures
// whose secrets are assumed to be fake. A configuration may replace them.
var DefaultFixturePaths = []string{
	"testdata/", "**/testdata/**",
	"fixtures/", "**/fixtures/**", "**/__fixtures__/**",
	"**/test/fixtures/**", "**/spec/fixtures/**",
}

// genericExemptNames and genericExemptDirs describe test sources,
// documentation and templates such as .env.example, where the generic
// password detector would mostly report sample values. Detectors of a
// specific format (tokens with prefixes, private keys) still run there.
// They mean the gitignore patterns in genericExemptPatterns; matching them
// by hand is about fifty times faster than the gitignore library's regular
// expressions, and this runs for every file.
var (
	genericExemptNames = []string{
		"*_test.go", "test_*.py", "*_test.py", "*.spec.*", "*.test.*", "*.md", "*.markdown",
		"*.rst", "*.adoc", "*.example", "*.sample", "*.template", "*.tmpl", "*.dist",
		"*.example.*", "*.sample.*",
	}
	genericExemptDirs = map[string]bool{"tests": true, "test": true, "__tests__": true, "spec": true}
)

// genericExemptPatterns are the same paths as gitignore patterns.
var genericExemptPatterns = append(append([]string(nil), genericExemptNames...),
	"**/tests/**", "**/test/**", "**/__tests__/**", "**/spec/**")

// ExemptsGeneric reports whether path is a test source, a document or a
// template, which the generic password detector does not search.
func ExemptsGeneric(p string) bool {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return false
	}
	// The gitignore library also matches "**/test/**" against a final
	// segment named test, so every segment is compared.
	for _, part := range strings.Split(p, "/") {
		if genericExemptDirs[part] {
			return true
		}
		for _, pattern := range genericExemptNames {
			if ok, _ := path.Match(pattern, part); ok {
				return true
			}
		}
	}
	return false
}

// exampleValues are keys that vendors publish in their documentation.
var exampleValues = map[string]bool{
	"AKIAIOSFODNN7EXAMPLE":                     true,
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY": true,
	"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY": true,
	"AKIAI44QH8DHBEXAMPLE":                     true,
}

// placeholderWords are values people write where a secret will go later.
var placeholderWords = map[string]bool{
	"changeme": true, "change-me": true, "change_me": true, "changeit": true,
	"password": true, "passw0rd": true, "secret": true, "token": true, "example": true,
	"placeholder": true, "redacted": true, "replaceme": true, "replace_me": true,
	"replace-me": true, "todo": true, "tbd": true, "dummy": true, "fake": true,
	"notasecret": true, "not-a-secret": true, "xxx": true, "none": true, "null": true,
	"nil": true, "true": true, "false": true, "yes": true, "no": true, "empty": true,
	"undefined": true, "required": true, "optional": true, "string": true,
	"your_password": true, "yourpassword": true, "your-password": true,
	"mypassword": true, "my_password": true, "secretpassword": true,
	"supersecret": true, "mysecret": true, "mysecretpassword": true, "secretpassword1": true, "your_token": true, "your-token": true,
	"your_api_key": true, "your-api-key": true, "yourapikey": true, "insert_here": true,
}

// Allowlist decides which values and files are never reported.
type Allowlist struct {
	patterns []*regexp.Regexp
	paths    *ignore.GitIgnore
}

// DefaultAllowlist returns the built-in allow-list: documented example
// keys, placeholders and DefaultFixturePaths.
func DefaultAllowlist() *Allowlist {
	a, _ := NewAllowlist(nil, DefaultFixturePaths)
	return a
}

// NewAllowlist builds an allow-list from regular expressions that allowed
// values match and gitignore-style patterns of files not scanned. The
// documented example keys and placeholders are always allowed.
func NewAllowlist(valuePatterns, paths []string) (*Allowlist, error) {
	a := &Allowlist{}
	for _, p := range valuePatterns {
		r, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("invalid allow pattern %q: %w", p, err)
		}
		a.patterns = append(a.patterns, r)
	}
	if len(paths) > 0 {
		a.paths = ignore.CompileIgnoreLines(paths...)
	}
	return a, nil
}

func (a *Allowlist) skipsPath(path string) bool {
	if a == nil || a.paths == nil || path == "" {
		return false
	}
	return a.paths.MatchesPath(strings.TrimPrefix(path, "/"))
}

// allowsValue reports whether a value is an example, a placeholder, a
// reference to something else, or matches a configured pattern.
func (a *Allowlist) allowsValue(v string) bool {
	if exampleValues[v] || isPlaceholder(v) {
		return true
	}
	for _, p := range a.patterns {
		if p.MatchString(v) {
			return true
		}
	}
	return false
}

// printfVerb matches a lone format verb such as %s, the value of a
// format string in code.
var printfVerb = regexp.MustCompile(`^%[-+# 0-9.*]*[svdqxXfgTw]$`)

// referencePrefixes start values that name a secret in a secret store
// instead of holding it: Vault (dockward exec's vault: form and
// vals' ref+), 1Password, AWS Secrets Manager and SSM, Google Secret
// Manager and Azure Key Vault references.
var referencePrefixes = []string{"vault:", "ref+", "op://", "arn:aws:secretsmanager:", "arn:aws:ssm:",
	"projects/", "sm://", "gcp:secretmanager:", "akv://", "azurekeyvault://", "@microsoft.keyvault("}

func hasReferencePrefix(low string) bool {
	for _, p := range referencePrefixes {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return false
}

// isPlaceholder reports whether v is a placeholder for a secret rather
// than a secret: a known placeholder word, a variable or template reference, an
// angle-bracketed description, a masked value, or one repeated symbol.
func isPlaceholder(v string) bool {
	t := strings.Trim(v, `"'`)
	low := strings.ToLower(t)
	switch {
	case t == "":
		return true
	case placeholderWords[low]:
		return true
	case strings.Contains(t, "${") || strings.HasPrefix(t, "$") || strings.Contains(t, "{{") ||
		strings.Contains(t, "%(") || strings.HasPrefix(t, "%") && strings.HasSuffix(t, "%"):
		return true
	case strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">"):
		return true
	case printfVerb.MatchString(t) || hasReferencePrefix(low):
		return true
	case strings.Contains(low, "example") || strings.Contains(low, "placeholder") ||
		strings.Contains(low, "changeme") || strings.Contains(low, "redacted"):
		return true
	case repeatsOneSymbol(t):
		return true
	}
	for _, p := range []string{"your", "my", "insert", "enter", "put", "replace"} {
		for _, sep := range []string{"_", "-", ""} {
			if strings.HasPrefix(low, p+sep) && (strings.Contains(low, "pass") ||
				strings.Contains(low, "token") || strings.Contains(low, "key") ||
				strings.Contains(low, "secret")) {
				return true
			}
		}
	}
	return false
}

// repeatsOneSymbol reports whether more than half of v's bytes, or all
// of them after the last underscore, dash or dot, are one symbol, as in
// "xxxxxxxx", "********" or "ghp_xxxxxxxxxxxxxxxx".
func repeatsOneSymbol(v string) bool {
	if i := strings.LastIndexAny(v, "_-."); i >= 0 && i < len(v)-1 {
		if rest := v[i+1:]; len(rest) >= 4 && strings.Count(rest, rest[:1]) == len(rest) {
			return true
		}
	}
	if len(v) < 4 {
		return false
	}
	var counts [256]int
	for i := 0; i < len(v); i++ {
		counts[v[i]]++
		if counts[v[i]]*2 > len(v) {
			return true
		}
	}
	return false
}

// AllowlistFromConfig builds the allow-list that a .dockward.yaml secrets
// section describes.
func AllowlistFromConfig(c config.Secrets) (*Allowlist, error) {
	var paths []string
	if c.DefaultAllowPaths == nil || *c.DefaultAllowPaths {
		paths = append(paths, DefaultFixturePaths...)
	}
	paths = append(paths, c.AllowPaths...)
	return NewAllowlist(c.Allow, paths)
}

var configScanners sync.Map // *config.Config -> *Scanner

// ForConfig returns the scanner for a configuration, built once per
// configuration value; nil means Default.
func ForConfig(c *config.Config) (*Scanner, error) {
	if c == nil {
		return Default(), nil
	}
	if s, ok := configScanners.Load(c); ok {
		return s.(*Scanner), nil
	}
	allow, err := AllowlistFromConfig(c.Secrets)
	if err != nil {
		return nil, err
	}
	s, err := NewScanner(allow)
	if err != nil {
		return nil, err
	}
	actual, _ := configScanners.LoadOrStore(c, s)
	return actual.(*Scanner), nil
}
