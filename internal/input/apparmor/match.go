package apparmor

import (
	"regexp"
	"strings"
	"sync"
)

// defaultVariables are the values tunables/global gives the variables
// container profiles use most, for files whose includes are not found.
var defaultVariables = map[string][]string{
	"PROC":     {"/proc/"},
	"sys":      {"/sys/"},
	"run":      {"/run/", "/var/run/"},
	"HOMEDIRS": {"/home/"},
	"HOME":     {"@{HOMEDIRS}/*/", "/root/"},
	"pid":      {"{[1-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9]*}"},
	"pids":     {"@{pid}"},
	"tid":      {"@{pid}"},
}

// maxExpansions bounds the strings a pattern expands to through variables.
const maxExpansions = 256

var variablePattern = regexp.MustCompile(`@\{([^{}]+)\}`)

// Expand replaces the @{NAME} variables of a pattern with each of their
// values, using the file's definitions and then those of tunables/global.
func (f *File) Expand(pattern string) []string {
	out := []string{pattern}
	for range 8 {
		var next []string
		changed := false
		for _, s := range out {
			loc := variablePattern.FindStringSubmatchIndex(s)
			if loc == nil {
				next = append(next, s)
				continue
			}
			changed = true
			name := s[loc[2]:loc[3]]
			values, ok := f.Variables[name]
			if !ok {
				values, ok = defaultVariables[name]
			}
			if !ok {
				// NOTE: an undeclared variable matches any path, which widens
				// deny rules as well as allow rules.
				values = []string{"**"}
			}
			for _, v := range values {
				if len(next) < maxExpansions {
					next = append(next, s[:loc[0]]+v+s[loc[1]:])
				}
			}
		}
		out = next
		if !changed {
			break
		}
	}
	return out
}

var multiSlash = regexp.MustCompile(`//+`)

var (
	globCacheMu sync.Mutex
	globCache   = map[string]*regexp.Regexp{}
)

// Match reports whether an AppArmor path pattern, after variable
// expansion, matches path.
func (f *File) Match(pattern, path string) bool {
	for _, p := range f.Expand(pattern) {
		// AppArmor treats repeated slashes as one, and variables such as
		// @{PROC} end in a slash that the pattern repeats.
		p = multiSlash.ReplaceAllString(p, "/")
		if re := globRegexp(p); re != nil && re.MatchString(path) {
			return true
		}
	}
	return false
}

// globRegexp converts an AppArmor glob to an anchored regular expression.
// "**" matches across "/", "*" and "?" do not, [...] is a character class
// and {a,b} an alternation.
func globRegexp(glob string) *regexp.Regexp {
	globCacheMu.Lock()
	defer globCacheMu.Unlock()
	if re, ok := globCache[glob]; ok {
		return re
	}
	var b strings.Builder
	b.WriteString("^")
	depth := 0
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case c == '*' && i+1 < len(glob) && glob[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(glob[i:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := glob[i+1 : i+j]
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j
		case c == '{':
			depth++
			b.WriteString("(?:")
		case c == '}' && depth > 0:
			depth--
			b.WriteString(")")
		case c == ',' && depth > 0:
			b.WriteString("|")
		case c == '\\' && i+1 < len(glob):
			i++
			b.WriteString(regexp.QuoteMeta(string(glob[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		re = nil
	}
	if len(globCache) < 4096 {
		globCache[glob] = re
	}
	return re
}

// Access is a file permission to test: 'r', 'w', 'l', 'k', 'm' or 'x'.
type Access byte

// grants reports whether a rule's permissions include access. Append
// counts as write for an allow rule.
func grants(perms string, a Access, deny bool) bool {
	switch a {
	case 'w':
		if deny {
			return strings.ContainsRune(perms, 'w')
		}
		return strings.ContainsAny(perms, "wa")
	case 'x':
		return strings.ContainsRune(perms, 'x')
	}
	return strings.ContainsRune(perms, rune(a))
}

// FileAccess reports whether the profile allows access to path: an allow
// rule grants it and no deny rule takes it away. It returns the deciding
// allow or deny rule.
func (f *File) FileAccess(p *Profile, path string, a Access) (bool, *Rule) {
	var allow *Rule
	for _, r := range p.Rules {
		if r.Kind != KindFile {
			continue
		}
		matches := r.Bare || (grants(r.Perms, a, r.Deny) && f.Match(r.Path, path))
		if !matches {
			continue
		}
		if r.Deny {
			return false, r
		}
		if allow == nil {
			allow = r
		}
	}
	return allow != nil, allow
}

// RuleAllowed returns the first allow rule of a kind, and whether a bare
// deny rule of that kind takes it away.
func (p *Profile) RuleAllowed(kind Kind) (allow *Rule, deniedBare bool) {
	for _, r := range p.Rules {
		if r.Kind != kind {
			continue
		}
		if r.Deny && r.Bare {
			deniedBare = true
		}
		if !r.Deny && allow == nil {
			allow = r
		}
	}
	return allow, deniedBare
}

// All returns the profile and its nested profiles and hats, depth first.
func (p *Profile) All() []*Profile {
	out := []*Profile{p}
	for _, c := range p.Children {
		out = append(out, c.All()...)
	}
	return out
}

// Names returns the names of every profile in the file, nested ones
// included, as a runtime would refer to them.
func (f *File) Names() []string {
	var out []string
	for _, top := range f.Profiles {
		for _, p := range top.All() {
			if p.Name != "" {
				out = append(out, p.Name)
			}
		}
	}
	return out
}

// HasProfile reports whether the file declares a profile that a runtime
// setting such as apparmor=NAME refers to.
func (f *File) HasProfile(name string) bool {
	for _, top := range f.Profiles {
		if top.Name == name {
			return true
		}
		for _, c := range top.All()[1:] {
			if top.Name+"//"+c.Name == name {
				return true
			}
		}
	}
	return false
}
