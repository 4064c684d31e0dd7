// Package seccomp reads seccomp profiles into a typed model that keeps the
// line and column of every value. It understands the Docker profile format
// (with archMap, conditional includes and excludes, and the legacy single
// "name" of a rule), the linux.seccomp object of an OCI runtime config, and
// the SeccompProfile resource of the Kubernetes security-profiles-operator
// in YAML. Judging a profile is left to the seccomp rules.
package seccomp

import (
	"bytes"
	"fmt"
	"strings"
)

// Format is the container format a profile was read from.
type Format string

// Profile formats.
const (
	FormatDocker Format = "docker"         // a Docker or containers/common profile
	FormatOCI    Format = "oci"            // linux.seccomp of an OCI runtime config
	FormatSPO    Format = "seccompprofile" // a security-profiles-operator resource
)

// String is a string value and where it was written.
type String struct {
	Value string
	Pos   Pos
}

// Number is an unsigned integer value and where it was written.
type Number struct {
	Value uint64
	Pos   Pos
}

// Profile is one seccomp profile.
type Profile struct {
	Format Format
	// Name is metadata.name of a SeccompProfile resource, empty otherwise.
	Name string
	// Pos is where the profile object starts.
	Pos Pos

	DefaultAction   String
	DefaultErrnoRet *Number
	Architectures   []String
	ArchMap         []ArchMap
	Syscalls        []*Rule
	Flags           []String
	ListenerPath    String
	// BaseProfileName is spec.baseProfileName of a SeccompProfile resource.
	BaseProfileName String

	// Errors lists values of the wrong type or out of range. The rest of
	// the profile is still decoded.
	Errors []*FieldError
	// UnknownKeys lists keys that no runtime reads, such as misspelt ones.
	UnknownKeys []UnknownKey
}

// UnknownKey is a key the profile format does not define. Runtimes ignore
// such keys, so a misspelt "syscalls" leaves the profile without rules.
type UnknownKey struct {
	Key string
	// Known lists the keys the enclosing object may have.
	Known []string
	Pos   Pos
}

// ArchMap is one entry of archMap: an architecture and the sub-architectures
// that the runtime adds with it.
type ArchMap struct {
	Arch      String
	SubArches []String
	Pos       Pos
}

// Rule is one entry of syscalls.
type Rule struct {
	// Names lists the syscall names. A legacy rule with "name" has it here
	// too, and Legacy is set.
	Names []String
	// HasNames is false when the rule has neither "names" nor "name".
	HasNames bool
	Legacy   bool
	Action   String
	ErrnoRet *Number
	Args     []Arg
	Includes *Filter
	Excludes *Filter
	Comment  string
	Pos      Pos
}

// Arg is one argument condition of a rule.
type Arg struct {
	Index    Number
	Value    Number
	ValueTwo Number
	Op       String
	Pos      Pos
}

// Filter is an includes or excludes condition of a Docker profile rule.
type Filter struct {
	Caps      []String
	Arches    []String
	MinKernel String
	Pos       Pos
}

// FieldError is a value the reader could not accept.
type FieldError struct {
	Pos    Pos
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s: %s", e.Pos.Line, e.Pos.Column, e.Field, e.Reason)
}

// Parse reads the profiles in data, which may be JSON or YAML. A JSON file
// holds one profile; a YAML file may hold several SeccompProfile documents.
// It returns a *SyntaxError for input that cannot be decoded,
// ErrTooLarge and ErrTooDeep wrapped in one, and ErrNotSeccomp when the
// content is valid but holds no profile.
func Parse(data []byte) ([]*Profile, error) {
	if len(data) > MaxSize {
		return nil, &SyntaxError{Reason: ErrTooLarge.Error() + ": split it or remove unused rules", Err: ErrTooLarge}
	}
	docs, err := parseDocuments(data)
	if err != nil {
		return nil, err
	}
	var profiles []*Profile
	for _, doc := range docs {
		if p := decodeDocument(doc); p != nil {
			profiles = append(profiles, p)
		}
	}
	if len(profiles) == 0 {
		return nil, ErrNotSeccomp
	}
	return profiles, nil
}

func parseDocuments(data []byte) ([]*node, error) {
	if looksLikeJSON(data) {
		n, err := parseJSON(data)
		if err != nil {
			return nil, err
		}
		return []*node{n}, nil
	}
	return parseYAML(data)
}

// looksLikeJSON reports whether the first non-space byte opens a JSON
// object or array.
func looksLikeJSON(data []byte) bool {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	trimmed = bytes.TrimPrefix(trimmed, []byte("\xef\xbb\xbf"))
	return len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
}

// decodeDocument finds the profile inside one document, or returns nil.
func decodeDocument(doc *node) *Profile {
	if doc.kind != kindObject {
		return nil
	}
	if kind := doc.get("kind"); kind != nil && kind.kind == kindString {
		if !strings.EqualFold(kind.text, "SeccompProfile") {
			return nil
		}
		spec := doc.get("spec")
		if spec == nil || spec.kind != kindObject {
			spec = &node{kind: kindObject, pos: doc.pos}
		}
		p := decodeProfile(spec, FormatSPO)
		if md := doc.get("metadata"); md != nil {
			if name := md.get("name"); name != nil && name.kind == kindString {
				p.Name = name.text
			}
		}
		return p
	}
	if linux := doc.get("linux"); linux != nil && linux.kind == kindObject {
		if sc := linux.get("seccomp"); sc != nil && sc.kind == kindObject {
			return decodeProfile(sc, FormatOCI)
		}
		return nil
	}
	if doc.get("defaultAction") == nil && doc.get("syscalls") == nil {
		return nil
	}
	return decodeProfile(doc, FormatDocker)
}
