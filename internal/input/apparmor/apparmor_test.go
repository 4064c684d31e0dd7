package apparmor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// noBase resolves no includes, so results do not depend on the host.
var noBase = Options{Base: "/nonexistent"}

func parseFile(t *testing.T, name string, opts Options) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	f, err := Parse(name, data, opts)
	require.NoError(t, err)
	return f
}

func TestParseProfile(t *testing.T) {
	f := parseFile(t, "app.profile", noBase)
	require.Empty(t, f.Errors)
	require.Len(t, f.Profiles, 1)
	p := f.Profiles[0]
	require.Equal(t, "app-nginx", p.Name)
	require.Equal(t, "/usr/sbin/nginx", p.Attach)
	require.Equal(t, []string{"attach_disconnected", "mediate_deleted"}, p.Flags)
	require.Equal(t, 6, p.Line)
	require.Len(t, p.Children, 2)
	require.Equal(t, "worker", p.Children[0].Name)
	require.True(t, p.Children[1].Hat)
	require.Equal(t, []string{"/srv/{app,api}", "/opt/app"}, f.Variables["APP"])

	var got []string
	for _, r := range p.Rules {
		got = append(got, ruleSummary(r))
	}
	want := []string{
		"10 capability [net_bind_service setuid setgid]",
		"11 network [inet tcp]",
		"12 audit deny network [raw]",
		"14 owner file @{APP}/** rw",
		"15 file /usr/sbin/nginx ix",
		"16 file /etc/nginx/** r",
		"17 file /usr/bin/helper Px -> helper",
		"18 deny file @{PROC}/sys/** w",
		"19 deny file /sys/firmware/** rwklx",
		"21 mount [fstype=tmpfs -> /run/]",
		"22 umount [/run/]",
		"23 pivot_root [oldroot=/mnt/old /mnt/new]",
		"24 ptrace (read) peer=app-nginx",
		"25 signal (send receive) peer=app-nginx",
		"26 change_profile -> app-nginx//worker",
		"27 other [send bus=system]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

func ruleSummary(r *Rule) string {
	var b strings.Builder
	b.WriteString(fmtInt(r.Line))
	if r.Audit {
		b.WriteString(" audit")
	}
	if r.Deny {
		b.WriteString(" deny")
	}
	if r.Owner {
		b.WriteString(" owner")
	}
	b.WriteString(" " + string(r.Kind))
	switch r.Kind {
	case KindFile:
		b.WriteString(" " + r.Path + " " + r.Perms)
		if r.Target != "" {
			b.WriteString(" -> " + r.Target)
		}
	case KindCapability:
		b.WriteString(" [" + strings.Join(r.Caps, " ") + "]")
	case KindPtrace, KindSignal:
		b.WriteString(" (" + strings.Join(r.Access, " ") + ") peer=" + r.Peer)
	case KindChangeProfile:
		b.WriteString(" -> " + r.Target)
	default:
		b.WriteString(" [" + strings.Join(r.Args, " ") + "]")
	}
	return b.String()
}

func fmtInt(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

func TestIncludes(t *testing.T) {
	t.Run("unresolved", func(t *testing.T) {
		f := parseFile(t, "app.profile", noBase)
		require.Len(t, f.Includes, 1)
		require.Equal(t, "tunables/global", f.Includes[0].Path)
		require.True(t, f.Includes[0].System)
		require.Empty(t, f.Includes[0].Resolved)
		p := f.Profiles[0]
		require.Len(t, p.Includes, 2)
		require.True(t, p.Includes[1].IfExists)
	})
	t.Run("resolved from a base directory", func(t *testing.T) {
		base := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(base, "abstractions"), 0o755))
		require.NoError(t, os.MkdirAll(filepath.Join(base, "tunables"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(base, "tunables", "global"), []byte("@{PROC}=/proc/\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(base, "abstractions", "base"), []byte("  /etc/ld.so.cache r,\n"), 0o644))
		f := parseFile(t, "app.profile", Options{Base: base})
		require.Empty(t, f.Errors)
		require.NotEmpty(t, f.Includes[0].Resolved)
		first := f.Profiles[0].Rules[0]
		require.Equal(t, "/etc/ld.so.cache", first.Path)
		require.Equal(t, filepath.Join(base, "abstractions", "base"), first.Source)
	})
	t.Run("resolved from the include search path", func(t *testing.T) {
		first, second := t.TempDir(), t.TempDir()
		for _, dir := range []string{first, second} {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "abstractions"), 0o755))
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "tunables"), 0o755))
		}
		// tunables/global is only in the second directory, abstractions/base
		// in both, so the first directory's copy wins.
		require.NoError(t, os.WriteFile(filepath.Join(second, "tunables", "global"), []byte("@{PROC}=/proc/\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(first, "abstractions", "base"), []byte("  /etc/ld.so.cache r,\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(second, "abstractions", "base"), []byte("  /etc/hosts r,\n"), 0o644))
		opts := noBase
		opts.IncludeDirs = []string{first, second}
		f := parseFile(t, "app.profile", opts)
		require.Empty(t, f.Errors)
		require.Equal(t, filepath.Join(second, "tunables", "global"), f.Includes[0].Resolved)
		rule := f.Profiles[0].Rules[0]
		require.Equal(t, "/etc/ld.so.cache", rule.Path)
		require.Equal(t, filepath.Join(first, "abstractions", "base"), rule.Source)
	})
}

func TestSearchPath(t *testing.T) {
	require.Equal(t, []string{DefaultBase}, Options{}.SearchPath())
	require.Equal(t, []string{"/a", "/b", "/base"}, Options{Base: "/base", IncludeDirs: []string{"/a", "/b"}}.SearchPath())
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"missing comma", "profile p {\n  file\n}\n", []string{`line 2: "file" is missing its trailing comma`}},
		{"unknown capability", "profile p {\n  capability sys_foo,\n}\n", []string{`line 2: invalid capability "sys_foo"`}},
		{"unclosed block", "profile p {\n  file,\n", []string{"line 1: block is not closed: add }"}},
		{"stray brace", "profile p {\n}\n}\n", []string{"line 3: unexpected }: no block is open"}},
		{"bad permissions", "profile p {\n  /etc/passwd rq,\n}\n", []string{`line 2: invalid file permissions "rq"`}},
		{"unknown rule", "profile p {\n  frobnicate /etc/x,\n}\n", []string{`line 2: unknown rule "frobnicate /etc/x"`}},
		{"path starting with an alternation", "profile p {\n  {/usr,}/lib/** mr,\n}\n", []string{`line 2: unknown rule "{/usr,}/lib/** mr"`}},
		{"undeclared variable", "profile p {\n  @{APP}/** r,\n}\n", []string{
			"line 2: variable @{APP} is never declared: include <tunables/global> or declare it"}},
		{"rule beside a profile", "capability,\nprofile p {\n}\n", []string{`line 1: rule "capability" outside a profile`}},
		{"unknown flag", "profile p flags=(debug) {\n}\n", []string{`line 1: invalid profile flag "debug"`}},
		{"unknown family", "profile p {\n  network route,\n}\n", []string{
			`line 2: invalid network rule: unknown address family, type or protocol "route"`}},
		{"valid alternation", "profile p {\n  /usr/{bin,sbin}/* rix,\n  /{usr/,}lib/** mr,\n}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("p", []byte(tt.text), noBase)
			require.NoError(t, err)
			var got []string
			for _, e := range f.Errors {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileAccess(t *testing.T) {
	f := parseFile(t, "docker-default.profile", noBase)
	p := f.Profiles[0]
	tests := []struct {
		path   string
		access Access
		want   bool
	}{
		{"/etc/passwd", 'r', true},
		{"/proc/sys/kernel/core_pattern", 'w', false},
		{"/proc/sys/kernel/shmmax", 'w', true},
		{"/proc/sysrq-trigger", 'w', false},
		{"/proc/kcore", 'r', false},
		{"/proc/1/attr/current", 'w', true},
		{"/sys/firmware/efi/vars", 'r', false},
		{"/sys/fs/cgroup/memory.max", 'w', true},
		{"/sys/kernel/security/apparmor/policy", 'w', false},
	}
	for _, tt := range tests {
		t.Run(string(tt.access)+tt.path, func(t *testing.T) {
			got, _ := f.FileAccess(p, tt.path, tt.access)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestHasProfile(t *testing.T) {
	f := parseFile(t, "app.profile", noBase)
	require.True(t, f.HasProfile("app-nginx"))
	require.True(t, f.HasProfile("app-nginx//worker"))
	require.False(t, f.HasProfile("docker-default"))
}

func TestTooLarge(t *testing.T) {
	_, err := Parse("big", make([]byte, MaxSize+1), noBase)
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestDeepNesting(t *testing.T) {
	text := strings.Repeat("profile p {\n", 100) + strings.Repeat("}\n", 100)
	f, err := Parse("deep", []byte(text), noBase)
	require.NoError(t, err)
	require.NotEmpty(t, f.Errors)
	require.Contains(t, f.Errors[0].Reason, "nested more than 32 levels")
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.profile")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("profile p {\n  /a/{b,{c,d}}/[^x]** rw,\n  ^h {\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		af, err := Parse("fuzz", data, noBase)
		if err != nil {
			return
		}
		for _, p := range af.Profiles {
			for _, q := range p.All() {
				af.FileAccess(q, "/proc/sys/kernel/core_pattern", 'w')
			}
		}
		_ = af.Names()
	})
}
