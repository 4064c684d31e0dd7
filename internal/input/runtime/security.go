package runtime

import "strings"

// ParseSecurityOpt splits one --security-opt or security_opt entry the way
// the Docker CLI does: KEY=VALUE, the deprecated KEY:VALUE, or the bare
// no-new-privileges.
func ParseSecurityOpt(raw string, pos Pos) SecurityOpt {
	o := SecurityOpt{Raw: raw, Pos: pos}
	if k, v, ok := strings.Cut(raw, "="); ok {
		o.Key, o.Value, o.Separator = k, v, '='
		return o
	}
	if raw == "no-new-privileges" {
		o.Key = raw
		return o
	}
	if k, v, ok := strings.Cut(raw, ":"); ok {
		o.Key, o.Value, o.Separator = k, v, ':'
		return o
	}
	o.Key = raw
	return o
}

// AddSecurityOpt records o in s.Options and fills the derived fields:
// Seccomp, AppArmor, NoNewPrivileges, SELinux and Systempaths. An unknown
// option only marks its own derived field unknown.
func (s *Security) AddSecurityOpt(o SecurityOpt) {
	s.Options = append(s.Options, o)
	if o.Unknown {
		return
	}
	switch o.Key {
	case "seccomp":
		s.Seccomp = Of(seccompProfile(o.Value), o.Raw, o.Pos)
	case "apparmor":
		s.AppArmor = Of(apparmorProfile(o.Value), o.Raw, o.Pos)
	case "no-new-privileges":
		// The engine accepts no-new-privileges, =true and =false; any
		// other value is rejected, so it counts as not set.
		switch o.Value {
		case "", "true":
			s.NoNewPrivileges = Of(true, o.Raw, o.Pos)
		case "false":
			s.NoNewPrivileges = Of(false, o.Raw, o.Pos)
		}
	case "label":
		k, v, _ := strings.Cut(o.Value, ":")
		s.SELinux = append(s.SELinux, Of(SELinuxOption{Key: k, Value: v}, o.Raw, o.Pos))
	case "systempaths":
		s.Systempaths = Of(o.Value, o.Raw, o.Pos)
	}
}

func seccompProfile(v string) Profile {
	switch v {
	case "unconfined":
		return Profile{Kind: ProfileUnconfined}
	case "builtin", "default", "":
		return Profile{Kind: ProfileDefault}
	}
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		return Profile{Kind: ProfileInline}
	}
	return Profile{Kind: ProfileFile, Name: v}
}

func apparmorProfile(v string) Profile {
	switch v {
	case "unconfined":
		return Profile{Kind: ProfileUnconfined}
	case "docker-default", "":
		return Profile{Kind: ProfileDefault, Name: v}
	}
	return Profile{Kind: ProfileNamed, Name: v}
}
