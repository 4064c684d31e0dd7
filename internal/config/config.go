// Package config reads .dockward.yaml, the one configuration file that
// every analyzer shares. The schema is documented in docs/config.md; new
// analyzers add their section to Config and to that page.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	ignore "github.com/sabhiram/go-gitignore"
	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/finding"
)

// FileName is the configuration file looked up at a project's root.
const FileName = ".dockward.yaml"

// Config is the content of .dockward.yaml.
type Config struct {
	// Version of the file format; only 1 exists.
	Version int `yaml:"version"`
	// Rules maps a rule ID or slug to its settings.
	Rules map[string]RuleSettings `yaml:"rules"`
	// Ignore suppresses findings under paths, with a reason.
	Ignore []IgnoreEntry `yaml:"ignore"`
	// Policy holds values that rules read.
	Policy Policy `yaml:"policy"`
	// Secrets holds the allow-lists of the secret detectors.
	Secrets Secrets `yaml:"secrets"`
	// Vulnerabilities configures vulnerability matching and the database.
	Vulnerabilities Vulnerabilities `yaml:"vulnerabilities"`

	// Path is the file the configuration came from, or empty.
	Path string `yaml:"-"`
	// ruleLines maps each key of rules to its line.
	ruleLines map[string]int
}

// RuleSettings changes one rule.
type RuleSettings struct {
	Disabled bool              `yaml:"disabled"`
	Severity *finding.Severity `yaml:"severity"`
}

// IgnoreEntry suppresses findings of some rules (all when Rules is empty)
// in files matching a gitignore-style pattern, until Expires if set.
type IgnoreEntry struct {
	Path    string   `yaml:"path"`
	Rules   []string `yaml:"rules"`
	Reason  string   `yaml:"reason"`
	Expires *Date    `yaml:"expires"`

	line    int
	matcher *ignore.GitIgnore
}

// Policy holds organisation settings that rules read.
type Policy struct {
	// AllowedRegistries lists registry hosts, optionally with a path
	// prefix ("ghcr.io/acme"), that base images may come from.
	AllowedRegistries []string `yaml:"allowed_registries"`
	// AllowedBaseImages lists image names, without tag, that may be used
	// as base images; a trailing "/*" allows a whole namespace.
	AllowedBaseImages []string `yaml:"allowed_base_images"`
}

// Secrets holds the allow-lists of the secret detectors.
type Secrets struct {
	// Allow lists regular expressions (Go RE2 syntax); a detected value
	// that one matches is not reported.
	Allow []string `yaml:"allow"`
	// AllowPaths lists gitignore-style patterns of files whose contents
	// are not searched for secrets, added to the built-in test-fixture
	// patterns.
	AllowPaths []string `yaml:"allow_paths"`
	// DefaultAllowPaths turns the built-in test-fixture patterns
	// (testdata/, fixtures/, ...) off when false. Nil means true.
	DefaultAllowPaths *bool `yaml:"default_allow_paths"`
}

func (s *Secrets) validate() error {
	for _, p := range s.Allow {
		if _, err := regexp.Compile(p); err != nil {
			return fmt.Errorf("secrets: invalid allow pattern %q: %w", p, err)
		}
	}
	return nil
}

// Vulnerabilities configures vulnerability matching and `dockward db update`.
type Vulnerabilities struct {
	// Ignore suppresses advisories, with a reason and an optional expiry.
	Ignore []VulnerabilityIgnore `yaml:"ignore"`
	// IgnoreUnfixed hides advisories that have no fixed version yet.
	IgnoreUnfixed bool `yaml:"ignore_unfixed"`
	// VEX lists OpenVEX documents whose not_affected and fixed statements
	// suppress findings; relative paths start at the configuration file.
	VEX []string `yaml:"vex"`
	// Ecosystems lists the OSV ecosystems `dockward db update` downloads.
	Ecosystems []string `yaml:"ecosystems"`
	// Source is the base URL `dockward db update` downloads from.
	Source string `yaml:"source"`
}

// VulnerabilityIgnore suppresses one advisory, for every package or for
// one, until Expires if set.
type VulnerabilityIgnore struct {
	// ID is the advisory ID or an alias such as a CVE ID.
	ID string `yaml:"id"`
	// Package is a package name or PURL; empty means every package.
	Package string `yaml:"package"`
	Reason  string `yaml:"reason"`
	Expires *Date  `yaml:"expires"`

	// Line is where the entry starts in the configuration file.
	Line int `yaml:"-"`
}

// UnmarshalYAML records the entry's line for suppression sources. It
// rejects unknown keys itself, because Node.Decode does not inherit the
// strict decoding of the file.
func (v *VulnerabilityIgnore) UnmarshalYAML(n *yaml.Node) error {
	type plain VulnerabilityIgnore
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			switch k := n.Content[i]; k.Value {
			case "id", "package", "reason", "expires":
			default:
				return fmt.Errorf("line %d: unknown key %q in vulnerabilities.ignore: use id, package, reason, expires",
					k.Line, k.Value)
			}
		}
	}
	if err := n.Decode((*plain)(v)); err != nil {
		return err
	}
	v.Line = n.Line
	return nil
}

func (v *Vulnerabilities) validate() error {
	for _, e := range v.Ignore {
		if strings.TrimSpace(e.ID) == "" {
			return fmt.Errorf("line %d: vulnerabilities.ignore entry needs an id", e.Line)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return fmt.Errorf("line %d: vulnerabilities.ignore entry for %s needs a reason", e.Line, e.ID)
		}
	}
	return nil
}

// Date is a calendar day written as YYYY-MM-DD.
type Date struct{ time.Time }

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		return fmt.Errorf("line %d: invalid date %q: write it as YYYY-MM-DD", n.Line, n.Value)
	}
	d.Time = t
	return nil
}

// Default returns the configuration used when no file exists.
func Default() *Config { return &Config{Version: 1} }

// Load reads the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

// Find returns the configuration at dir/.dockward.yaml, or the default when
// the file does not exist.
func Find(dir string) (*Config, error) {
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return Default(), nil
	}
	return Load(path)
}

// Parse decodes a configuration and rejects unknown keys, so a typo does
// not silently disable a setting.
func Parse(data []byte) (*Config, error) {
	c := Default()
	if len(bytes.TrimSpace(data)) == 0 {
		return c, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, readableYAMLError(err)
	}
	if c.Version != 1 {
		return nil, fmt.Errorf("unsupported version %d: only version 1 exists", c.Version)
	}
	if err := c.Secrets.validate(); err != nil {
		return nil, err
	}
	if err := c.Vulnerabilities.validate(); err != nil {
		return nil, err
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	c.ruleLines = mappingKeyLines(&root, "rules")
	lines := ignoreLines(&root)
	for i := range c.Ignore {
		e := &c.Ignore[i]
		if i < len(lines) {
			e.line = lines[i]
		}
		if e.Path == "" {
			return nil, fmt.Errorf("line %d: ignore entry needs a path", e.line)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return nil, fmt.Errorf("line %d: ignore entry for %q needs a reason", e.line, e.Path)
		}
		e.matcher = ignore.CompileIgnoreLines(e.Path)
	}
	return c, nil
}

// unknownField matches the decoder's message for a key the schema lacks.
var unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found in type config\.(\w+)`)

// readableYAMLError rewrites the YAML decoder's messages, which name Go
// types, into the keys a user writes.
func readableYAMLError(err error) error {
	msg := err.Error()
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("line %s: unknown key %q in %s", m[1], m[2], sectionName(m[3]))
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	return errors.New(msg)
}

func sectionName(goType string) string {
	switch goType {
	case "Config":
		return "the top level (use version, rules, ignore, policy, secrets, vulnerabilities)"
	case "RuleSettings":
		return "a rules entry (use disabled or severity)"
	case "IgnoreEntry":
		return "an ignore entry (use path, rules, reason, expires)"
	case "Policy":
		return "policy (use allowed_registries, allowed_base_images)"
	case "Secrets":
		return "secrets (use allow, allow_paths, default_allow_paths)"
	case "Vulnerabilities":
		return "vulnerabilities (use ignore, ignore_unfixed, vex, ecosystems, source)"
	case "VulnerabilityIgnore":
		return "a vulnerabilities.ignore entry (use id, package, reason, expires)"
	}
	return strings.ToLower(goType)
}

// mappingKeyLines returns the line of each key of a top-level mapping.
func mappingKeyLines(root *yaml.Node, section string) map[string]int {
	lines := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return lines
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != section || m.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		entries := m.Content[i+1].Content
		for j := 0; j+1 < len(entries); j += 2 {
			lines[entries[j].Value] = entries[j].Line
		}
	}
	return lines
}

// CheckRules reports rules entries that name no known rule, or that name
// one rule twice (by ID and by slug). known maps a name to its rule ID.
func (c *Config) CheckRules(known func(name string) (string, bool)) error {
	var errs []error
	seen := map[string]string{}
	keys := make([]string, 0, len(c.Rules))
	for k := range c.Rules {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		id, ok := known(k)
		if !ok {
			errs = append(errs, fmt.Errorf("line %d: rules: unknown rule %q; run dockward rules to list them", c.ruleLines[k], k))
			continue
		}
		if prev, dup := seen[id]; dup {
			errs = append(errs, fmt.Errorf("line %d: rules: %q and %q name the same rule %s; keep one", c.ruleLines[k], prev, k, id))
			continue
		}
		seen[id] = k
	}
	if len(errs) > 0 && c.Path != "" {
		return fmt.Errorf("config %s: %w", c.Path, errors.Join(errs...))
	}
	return errors.Join(errs...)
}

func ignoreLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "ignore" && m.Content[i+1].Kind == yaml.SequenceNode {
			var lines []int
			for _, item := range m.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
			return lines
		}
	}
	return nil
}

// Lookup returns the settings for a rule by ID or slug.
func (c *Config) Lookup(id, slug string) (RuleSettings, bool) {
	for k, v := range c.Rules {
		if strings.EqualFold(k, id) || strings.EqualFold(k, slug) {
			return v, true
		}
	}
	return RuleSettings{}, false
}

// IgnoredBy returns the first ignore entry that covers a finding of rule
// (ID or slug) at path, a slash-separated path relative to the project
// root. Expired entries cover nothing.
func (c *Config) IgnoredBy(path, id, slug string, now time.Time) (*IgnoreEntry, bool) {
	for i := range c.Ignore {
		e := &c.Ignore[i]
		if e.Expires != nil && now.After(e.Expires.Time.AddDate(0, 0, 1)) {
			continue
		}
		if !e.matcher.MatchesPath(path) {
			continue
		}
		if len(e.Rules) == 0 {
			return e, true
		}
		for _, r := range e.Rules {
			if strings.EqualFold(r, id) || strings.EqualFold(r, slug) {
				return e, true
			}
		}
	}
	return nil, false
}

// Source returns where the entry was written, as path:line.
func (e *IgnoreEntry) Source(configPath string) string {
	return fmt.Sprintf("%s:%d", configPath, e.line)
}
