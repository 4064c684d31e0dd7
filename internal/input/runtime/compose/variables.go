package compose

import (
	"errors"
	"regexp"
	"sync"

	"github.com/compose-spec/compose-go/v2/template"
)

// variables interpolates with a fixed set of variables and records the
// ones that are used without being set or given a default.
type variables struct {
	env map[string]string

	mu        sync.Mutex
	undefined []string
	seen      map[string]bool
	required  []requiredVar
}

// requiredVar is a ${NAME:?reason} whose variable is not set.
type requiredVar struct {
	name, reason string
}

func newVariables(env map[string]string) *variables {
	return &variables{env: env, seen: make(map[string]bool)}
}

func (v *variables) lookup(name string) (string, bool) {
	s, ok := v.env[name]
	return s, ok
}

// substitute is compose-go's substitution with two changes. A variable
// that is neither set nor defaulted is recorded instead of logged. A
// missing required variable becomes an empty string and a recorded
// problem, instead of an error that stops the whole file.
func (v *variables) substitute(s string, mapping template.Mapping) (string, error) {
	return template.SubstituteWithOptions(s, mapping,
		template.WithoutLogging, template.WithReplacementFunction(v.replace))
}

var varNameRE = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

func (v *variables) replace(sub string, mapping template.Mapping, cfg *template.Config) (string, error) {
	value, applied, err := template.DefaultReplacementAppliedFunc(sub, mapping, cfg)
	var missing *template.MissingRequiredError
	if errors.As(err, &missing) {
		v.mu.Lock()
		v.required = append(v.required, requiredVar{name: missing.Variable, reason: missing.Reason})
		v.mu.Unlock()
		return "", nil
	}
	if err != nil || applied {
		return value, err
	}
	if m := varNameRE.FindStringSubmatch(sub); m != nil {
		v.markUndefined(m[1])
	}
	return value, nil
}

// markUndefined records name as used without a value.
func (v *variables) markUndefined(name string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.seen[name] {
		v.seen[name] = true
		v.undefined = append(v.undefined, name)
	}
}

func (v *variables) undefinedNames() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.undefined...)
}

// isUndefined reports whether name was used without a value.
func (v *variables) isUndefined(name string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.seen[name]
}

// expand interpolates text the way the loader did, without recording
// anything. It is used to match raw YAML values to loaded ones.
func (v *variables) expand(text string) string {
	out, err := template.SubstituteWithOptions(text, v.lookup, template.WithoutLogging)
	if err != nil {
		return text
	}
	return out
}

var refRE = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// unresolved reports whether text refers to a variable that was used
// without a value, so the loaded value is not what will run.
func (v *variables) unresolved(text string) bool {
	for _, m := range refRE.FindAllStringSubmatch(text, -1) {
		if v.isUndefined(m[1]) {
			return true
		}
	}
	return false
}

// setIn reports whether text refers to a variable that the .env file
// sets. A value without such a reference comes only from text in the
// compose file itself: literals and the defaults of unset variables.
func (v *variables) setIn(text string) bool {
	for _, m := range refRE.FindAllStringSubmatch(text, -1) {
		if _, ok := v.env[m[1]]; ok {
			return true
		}
	}
	return false
}
