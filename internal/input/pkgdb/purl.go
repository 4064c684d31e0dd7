package pkgdb

import (
	"slices"
	"strings"
)

// PURL is a package URL as the purl specification defines it:
//
//	pkg:type/namespace/name@version?qualifiers#subpath
//
// String applies the specification's percent-encoding and the
// normalisation rules of the types this package emits.
type PURL struct {
	Type       string
	Namespace  string
	Name       string
	Version    string
	Qualifiers map[string]string
	Subpath    string
}

// String returns the canonical form: qualifiers sorted by key, empty
// qualifier values dropped.
func (p PURL) String() string {
	typ := strings.ToLower(p.Type)
	ns, name := normalizePURLName(typ, p.Namespace, p.Name)

	var b strings.Builder
	b.WriteString("pkg:")
	b.WriteString(typ)
	b.WriteByte('/')
	for seg := range strings.SplitSeq(strings.Trim(ns, "/"), "/") {
		if seg != "" {
			b.WriteString(escapePURL(seg, ":"))
			b.WriteByte('/')
		}
	}
	b.WriteString(escapePURL(name, ":"))
	if p.Version != "" {
		b.WriteByte('@')
		b.WriteString(escapePURL(p.Version, ":"))
	}

	keys := make([]string, 0, len(p.Qualifiers))
	for k, v := range p.Qualifiers {
		if v != "" {
			keys = append(keys, strings.ToLower(k))
		}
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(escapePURL(p.qualifier(k), ":/"))
	}

	if sub := strings.Trim(p.Subpath, "/"); sub != "" {
		b.WriteByte('#')
		for i, seg := range strings.Split(sub, "/") {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(escapePURL(seg, ":"))
		}
	}
	return b.String()
}

func (p PURL) qualifier(lowerKey string) string {
	for k, v := range p.Qualifiers {
		if strings.ToLower(k) == lowerKey {
			return v
		}
	}
	return ""
}

// normalizePURLName applies the per-type rules of the purl specification's
// type list: lower-case names for deb, apk, npm, composer and pypi, and
// PEP 503 normalisation ("_" becomes "-") for pypi.
func normalizePURLName(typ, ns, name string) (string, string) {
	switch typ {
	case "deb", "apk", "npm", "composer", "alpm":
		return strings.ToLower(ns), strings.ToLower(name)
	case "pypi":
		return ns, strings.ReplaceAll(strings.ToLower(name), "_", "-")
	}
	return ns, name
}

// escapePURL percent-encodes everything except unreserved characters
// (RFC 3986) and the extra characters listed in keep.
func escapePURL(s, keep string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// packagePURL builds the PURL of p. OS packages take the distribution as
// namespace and the release as the distro qualifier.
func packagePURL(p *Package, o *OS) PURL {
	u := PURL{Type: p.Type, Name: p.Name, Version: p.Version}
	switch p.Type {
	case "deb", "apk", "rpm":
		u.Namespace = osNamespace(p.Type, o)
		u.Qualifiers = map[string]string{"arch": p.Arch, "distro": o.distroQualifier()}
		if p.Type == "rpm" {
			epoch, rest, ok := strings.Cut(p.Version, ":")
			if ok && isNumber(epoch) {
				u.Version = rest
				u.Qualifiers["epoch"] = epoch
			}
		}
	case "golang":
		if i := strings.LastIndexByte(p.Name, '/'); i >= 0 {
			u.Namespace, u.Name = p.Name[:i], p.Name[i+1:]
		}
	case "npm":
		if scope, name, ok := strings.Cut(p.Name, "/"); ok && strings.HasPrefix(scope, "@") {
			u.Namespace, u.Name = scope, name
		}
	case "maven":
		if group, artifact, ok := strings.Cut(p.Name, ":"); ok {
			u.Namespace, u.Name = group, artifact
		}
	case "composer":
		if vendor, name, ok := strings.Cut(p.Name, "/"); ok {
			u.Namespace, u.Name = vendor, name
		}
	}
	return u
}

// osNamespace is the PURL namespace of OS packages: the distribution's
// os-release ID, with "redhat" for Red Hat Enterprise Linux as the purl
// type list names it.
func osNamespace(typ string, o *OS) string {
	if o == nil || o.ID == "" {
		switch typ {
		case "deb":
			return "debian"
		case "apk":
			return "alpine"
		}
		return ""
	}
	if o.ID == "rhel" {
		return "redhat"
	}
	return o.ID
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
