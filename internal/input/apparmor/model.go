// Package apparmor reads AppArmor profiles as container runtimes load
// them: profiles and nested profiles with their flags, includes (resolved
// under /etc/apparmor.d when present), variables, and the capability,
// network, file, mount, umount, pivot_root, ptrace, signal and
// change_profile rules with their audit, deny and owner qualifiers. It
// keeps the line of every rule and leaves judgement to the AppArmor rules.
package apparmor

import "fmt"

// Kind is the kind of an AppArmor rule.
type Kind string

// Rule kinds. KindOther covers rules the reader keeps without detail,
// such as dbus, unix, rlimit and userns.
const (
	KindFile          Kind = "file"
	KindCapability    Kind = "capability"
	KindNetwork       Kind = "network"
	KindMount         Kind = "mount"
	KindRemount       Kind = "remount"
	KindUmount        Kind = "umount"
	KindPivotRoot     Kind = "pivot_root"
	KindPtrace        Kind = "ptrace"
	KindSignal        Kind = "signal"
	KindChangeProfile Kind = "change_profile"
	KindLink          Kind = "link"
	KindOther         Kind = "other"
)

// File is one parsed profile file.
type File struct {
	Path string
	// Profiles are the top-level profiles; nested profiles and hats are
	// their Children.
	Profiles []*Profile
	// Variables holds @{NAME} values from the file and the files it
	// includes.
	Variables map[string][]string
	// Includes are the top-level includes; profile includes are kept on
	// the profile.
	Includes []*Include
	// Errors are statements the reader could not accept.
	Errors []*Error
}

// Profile is one profile or hat.
type Profile struct {
	// Name is the declared name, without quotes; for a profile declared
	// by its path alone the name is the path.
	Name string
	// Attach is the attachment path of "profile NAME PATH", or empty.
	Attach string
	Flags  []string
	Hat    bool
	// Abstraction is set for the implicit profile that holds the rules of
	// a file without profiles, such as a file under abstractions/.
	Abstraction bool
	Line        int
	// Rules are the profile's own rules followed by those of its resolved
	// includes, each with the line where it appears in its own file.
	Rules    []*Rule
	Includes []*Include
	Children []*Profile
}

// Rule is one rule of a profile.
type Rule struct {
	Kind  Kind
	Audit bool
	Deny  bool
	Owner bool
	// Bare is set for a rule with nothing after its keyword, such as
	// "file," or "capability,", which allows everything of its kind.
	Bare bool
	// Text is the rule as written, without qualifiers and the comma.
	Text string
	Line int
	// Source is the included file the rule came from, or empty.
	Source string

	// Path and Perms are set for file rules; Target is the exec transition
	// target after "->".
	Path   string
	Perms  string
	Target string
	// Caps lists the capabilities of a capability rule.
	Caps []string
	// Args are the words after the keyword of other rules, such as the
	// address family and type of a network rule.
	Args []string
	// Access lists the permissions in parentheses of ptrace and signal.
	Access []string
	// Peer is the peer= value of ptrace and signal rules.
	Peer string
}

// Include is an #include or include directive.
type Include struct {
	// Path is the name as written, without <> or quotes.
	Path string
	// System is set for <name>, which is searched under the base
	// directory.
	System   bool
	IfExists bool
	Line     int
	// Resolved is the file read for it, or empty when it was not found.
	Resolved string
}

// Error is a statement the reader could not accept.
type Error struct {
	Line   int
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}
