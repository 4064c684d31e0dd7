package pkgdb

import (
	"bufio"
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/dockward/dockward/internal/input/image"
)

// osFiles are the files OS detection reads, in order of preference.
var osFiles = []string{
	"/etc/os-release",
	"/usr/lib/os-release",
	"/etc/lsb-release",
	"/etc/alpine-release",
	"/etc/debian_version",
	"/etc/redhat-release",
	"/etc/centos-release",
	"/etc/rocky-release",
	"/etc/almalinux-release",
	"/etc/fedora-release",
	"/etc/system-release",
}

// DetectOS identifies the operating system release of tree from
// os-release, falling back to the distribution's own release files. It
// returns nil when none of them is present or readable.
func DetectOS(tree image.Tree) *OS {
	for _, p := range osFiles {
		e, ok := tree.Resolve(p)
		if !ok || !e.Mode.IsRegular() {
			continue
		}
		data, err := entryBytes(e)
		if err != nil {
			continue
		}
		if o := parseOSFile(p, data); o != nil {
			return o
		}
	}
	return nil
}

func parseOSFile(path string, data []byte) *OS {
	switch path {
	case "/etc/os-release", "/usr/lib/os-release":
		return ParseOSRelease(data)
	case "/etc/lsb-release":
		return parseLSBRelease(data)
	case "/etc/alpine-release":
		v := firstLine(data)
		if v == "" {
			return nil
		}
		return &OS{ID: "alpine", VersionID: v, Pretty: "Alpine Linux v" + v}
	case "/etc/debian_version":
		v := firstLine(data)
		if v == "" {
			return nil
		}
		o := &OS{ID: "debian", Pretty: "Debian GNU/Linux " + v}
		if isDigit(v[0]) {
			o.VersionID, _, _ = strings.Cut(v, ".")
		} else {
			// Testing and unstable write "trixie/sid" here.
			o.Codename, _, _ = strings.Cut(v, "/")
		}
		return o
	}
	return parseRedHatRelease(firstLine(data))
}

// ParseOSRelease reads an os-release file: KEY=value lines whose values
// may be quoted as in a shell. It returns nil when ID is missing.
func ParseOSRelease(data []byte) *OS {
	vars := parseShellVars(data)
	if vars["ID"] == "" {
		return nil
	}
	return &OS{
		ID:        strings.ToLower(vars["ID"]),
		VersionID: vars["VERSION_ID"],
		Codename:  vars["VERSION_CODENAME"],
		Pretty:    vars["PRETTY_NAME"],
	}
}

func parseLSBRelease(data []byte) *OS {
	vars := parseShellVars(data)
	if vars["DISTRIB_ID"] == "" {
		return nil
	}
	return &OS{
		ID:        strings.ToLower(vars["DISTRIB_ID"]),
		VersionID: vars["DISTRIB_RELEASE"],
		Codename:  vars["DISTRIB_CODENAME"],
		Pretty:    vars["DISTRIB_DESCRIPTION"],
	}
}

var redHatRelease = regexp.MustCompile(`^(.+?) release ([0-9][0-9.]*)`)

// parseRedHatRelease reads lines such as "CentOS Linux release 7.9.2009
// (Core)" or "Rocky Linux release 9.3 (Blue Onyx)".
func parseRedHatRelease(line string) *OS {
	m := redHatRelease.FindStringSubmatch(line)
	if m == nil {
		return nil
	}
	name := strings.ToLower(m[1])
	id := ""
	switch {
	case strings.HasPrefix(name, "red hat"):
		id = "rhel"
	case strings.HasPrefix(name, "centos"):
		id = "centos"
	case strings.HasPrefix(name, "rocky"):
		id = "rocky"
	case strings.HasPrefix(name, "almalinux"):
		id = "almalinux"
	case strings.HasPrefix(name, "fedora"):
		id = "fedora"
	case strings.HasPrefix(name, "amazon"):
		id = "amzn"
	case strings.HasPrefix(name, "oracle"):
		id = "ol"
	default:
		return nil
	}
	return &OS{ID: id, VersionID: m[2], Pretty: line}
}

// parseShellVars reads KEY=value assignments with single quotes, double
// quotes and backslash escapes, as os-release(5) allows.
func parseShellVars(data []byte) map[string]string {
	vars := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		vars[strings.TrimSpace(key)] = unquoteShell(strings.TrimSpace(val))
	}
	return vars
}

func unquoteShell(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1]
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func firstLine(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return strings.TrimSpace(string(line))
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Ecosystem returns the OSV ecosystem of the OS packages of o, with the
// release where OSV distinguishes releases: "Debian:12", "Ubuntu:22.04:LTS",
// "Alpine:v3.20", "Rocky Linux:9". It returns the bare distribution name
// when the release is unknown.
func (o *OS) Ecosystem() string {
	if o == nil {
		return ""
	}
	major, _, _ := strings.Cut(o.VersionID, ".")
	with := func(name, release string) string {
		if release == "" {
			return name
		}
		return name + ":" + release
	}
	switch o.ID {
	case "debian":
		return with("Debian", major)
	case "ubuntu":
		return with("Ubuntu", ubuntuRelease(o.VersionID))
	case "alpine":
		return with("Alpine", alpineBranch(o.VersionID))
	case "rocky":
		return with("Rocky Linux", major)
	case "almalinux":
		return with("AlmaLinux", major)
	case "rhel", "centos":
		return "Red Hat"
	case "opensuse-leap":
		return with("openSUSE", "Leap "+o.VersionID)
	case "sles":
		return "SUSE"
	case "mariner", "azurelinux":
		return with("Azure Linux", major)
	case "wolfi":
		return "Wolfi"
	case "chainguard":
		return "Chainguard"
	case "photon":
		return with("Photon OS", o.VersionID)
	}
	return o.ID
}

// ubuntuRelease adds ":LTS" to long-term releases, which are the April
// releases of even years, as OSV names them ("Ubuntu:22.04:LTS").
func ubuntuRelease(v string) string {
	year, month, ok := strings.Cut(v, ".")
	n, err := strconv.Atoi(year)
	if !ok || err != nil || !strings.HasPrefix(month, "04") || n%2 != 0 {
		return v
	}
	return v + ":LTS"
}

// alpineBranch turns "3.20.3" into "v3.20", the branch Alpine's security
// database and OSV use.
func alpineBranch(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return ""
	}
	return "v" + parts[0] + "." + parts[1]
}

// distroQualifier is the PURL distro qualifier: "debian-12", "alpine-3.20.3".
func (o *OS) distroQualifier() string {
	if o == nil || o.ID == "" {
		return ""
	}
	if o.VersionID == "" {
		if o.Codename != "" {
			return o.ID + "-" + o.Codename
		}
		return o.ID
	}
	return o.ID + "-" + o.VersionID
}
