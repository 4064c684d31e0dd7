package pkgdb

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDetectOS(t *testing.T) {
	tests := []struct {
		name      string
		files     []memFile
		want      *OS
		ecosystem string
		distro    string
	}{
		{
			name:      "ubuntu lts",
			files:     []memFile{{path: "/etc/os-release", content: readTestdata(t, "os/os-release-ubuntu")}},
			want:      &OS{ID: "ubuntu", VersionID: "22.04", Codename: "jammy", Pretty: "Ubuntu 22.04.4 LTS"},
			ecosystem: "Ubuntu:22.04:LTS", distro: "ubuntu-22.04",
		},
		{
			name:      "alpine release file only",
			files:     []memFile{{path: "/etc/alpine-release", content: []byte("3.18.4\n")}},
			want:      &OS{ID: "alpine", VersionID: "3.18.4", Pretty: "Alpine Linux v3.18.4"},
			ecosystem: "Alpine:v3.18", distro: "alpine-3.18.4",
		},
		{
			name:      "debian version file",
			files:     []memFile{{path: "/etc/debian_version", content: []byte("11.9\n")}},
			want:      &OS{ID: "debian", VersionID: "11", Pretty: "Debian GNU/Linux 11.9"},
			ecosystem: "Debian:11", distro: "debian-11",
		},
		{
			name:      "debian testing",
			files:     []memFile{{path: "/etc/debian_version", content: []byte("trixie/sid\n")}},
			want:      &OS{ID: "debian", Codename: "trixie", Pretty: "Debian GNU/Linux trixie/sid"},
			ecosystem: "Debian", distro: "debian-trixie",
		},
		{
			name:      "centos release file",
			files:     []memFile{{path: "/etc/centos-release", content: []byte("CentOS Linux release 7.9.2009 (Core)\n")}},
			want:      &OS{ID: "centos", VersionID: "7.9.2009", Pretty: "CentOS Linux release 7.9.2009 (Core)"},
			ecosystem: "Red Hat", distro: "centos-7.9.2009",
		},
		{
			name: "os-release wins and links resolve",
			files: []memFile{
				{path: "/etc/debian_version", content: []byte("12.5\n")},
				{path: "/etc/os-release", link: "../usr/lib/os-release"},
				{path: "/usr/lib/os-release", content: []byte("ID='debian'\nVERSION_ID=\"12\"\n# comment\nPRETTY_NAME=\"Debian \\\"12\\\"\"\n")},
			},
			want:      &OS{ID: "debian", VersionID: "12", Pretty: `Debian "12"`},
			ecosystem: "Debian:12", distro: "debian-12",
		},
		{name: "none", files: []memFile{{path: "/etc/hostname", content: []byte("x")}}},
		{name: "os-release without id", files: []memFile{{path: "/etc/os-release", content: []byte("NAME=x\n")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DetectOS(newMemTree(t, tt.files...))
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.ecosystem, got.Ecosystem())
			require.Equal(t, tt.distro, got.distroQualifier())
		})
	}
}

func TestPURLString(t *testing.T) {
	tests := []struct {
		name string
		in   PURL
		want string
	}{
		{"golang", PURL{Type: "golang", Namespace: "golang.org/x", Name: "text", Version: "v0.3.5"},
			"pkg:golang/golang.org/x/text@v0.3.5"},
		{"npm scope", PURL{Type: "npm", Namespace: "@Babel", Name: "Core", Version: "7.0.0"},
			"pkg:npm/%40babel/core@7.0.0"},
		{"pypi", PURL{Type: "pypi", Name: "Django_REST", Version: "1.0"}, "pkg:pypi/django-rest@1.0"},
		{"deb epoch", PURL{Type: "deb", Namespace: "debian", Name: "libssl3", Version: "1:3.0+b1",
			Qualifiers: map[string]string{"distro": "debian-12", "arch": "amd64", "empty": ""}},
			"pkg:deb/debian/libssl3@1:3.0%2Bb1?arch=amd64&distro=debian-12"},
		{"maven subpath", PURL{Type: "maven", Namespace: "org.apache", Name: "x y", Version: "1", Subpath: "/a/b c/"},
			"pkg:maven/org.apache/x%20y@1#a/b%20c"},
		{"no version", PURL{Type: "cargo", Name: "serde"}, "pkg:cargo/serde"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.in.String())
		})
	}
}

func FuzzParseOSRelease(f *testing.F) {
	f.Add(readTestdata(f, "os/os-release-ubuntu"))
	f.Add(readTestdata(f, "os/os-release-rocky"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseOSRelease(data).Ecosystem()
		for _, p := range osFiles {
			parseOSFile(p, data)
		}
	})
}
