package apparmor

import "testing"

func TestMatch(t *testing.T) {
	f := &File{Variables: map[string][]string{"APP": {"/srv/{app,api}", "/opt/app"}}}
	tests := []struct {
		pattern string
		path    string
		want    bool
	}{
		{"/etc/*", "/etc/passwd", true},
		{"/etc/*", "/etc/ssl/certs", false},
		{"/etc/**", "/etc/ssl/certs", true},
		{"/usr/{bin,sbin}/ls", "/usr/sbin/ls", true},
		{"/usr/{bin,sbin}/ls", "/usr/lib/ls", false},
		{"/{usr/,}lib/**", "/lib/x86_64/libc.so", true},
		{"/proc/[0-9]*/maps", "/proc/42/maps", true},
		{"/proc/[^0-9]*/maps", "/proc/42/maps", false},
		{"/tmp/?", "/tmp/a", true},
		{"/tmp/?", "/tmp/ab", false},
		{"@{APP}/**", "/srv/api/config", true},
		{"@{APP}/**", "/opt/app/bin/run", true},
		{"@{APP}/**", "/srv/web/index", false},
		{"@{PROC}/sys/**", "/proc/sys/kernel/core_pattern", true},
		{"@{UNDEFINED}/x", "/anything/x", true},
		{"/a.b", "/aXb", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.path, func(t *testing.T) {
			if got := f.Match(tt.pattern, tt.path); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
			}
		})
	}
}

func TestExpandBounded(t *testing.T) {
	f := &File{Variables: map[string][]string{
		"A": {"@{B}@{B}", "x"},
		"B": {"@{A}@{A}", "y"},
	}}
	got := f.Expand("/@{A}/@{B}")
	if len(got) == 0 || len(got) > maxExpansions {
		t.Errorf("Expand returned %d patterns, want 1 to %d", len(got), maxExpansions)
	}
}
