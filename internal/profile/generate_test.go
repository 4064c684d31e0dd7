package profile

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	rulesseccomp "github.com/dockward/dockward/internal/rules/seccomp"
	"github.com/dockward/dockward/internal/testenv"
)

func sampleTrace() *Trace {
	t := NewTrace([]string{"/app/server", "--port", "8080"})
	t.Syscalls = map[string]map[string]int{
		"SCMP_ARCH_X86_64": {"read": 3, "write": 2, "openat": 4},
		"SCMP_ARCH_X86":    {"mkdir": 1},
	}
	t.Files = []FileAccess{
		{Path: "/app/server", Access: "rx"},
		{Path: "/etc/passwd", Access: "r"},
		{Path: "/proc/42/status", Access: "r"},
		{Path: "/proc/42/task/43/comm", Access: "rw"},
		{Path: "/tmp/cache-x1/data", Access: "rw"},
		{Path: "/var/log/app.log", Access: "wa"},
		{Path: "/var/log/", Access: "r", Dir: true},
		{Path: "/dev/pts/3", Access: "rw"},
		{Path: "/usr/lib/libc.so.6", Access: "rm"},
	}
	for i := range 6 {
		t.Files = append(t.Files, FileAccess{Path: "/usr/share/app/f" + string(rune('a'+i)), Access: "r"})
	}
	t.Sockets = []Socket{{Family: "inet", Type: "stream"}, {Family: "family-99"}, {Family: "unix", Type: "dgram"}}
	return t
}

func TestGenerateSeccomp(t *testing.T) {
	p, err := GenerateSeccomp(sampleTrace(), SeccompOptions{Startup: []string{"execve", "read"}, Extra: []string{"uname"}})
	require.NoError(t, err)

	require.Equal(t, "SCMP_ACT_ERRNO", string(p.DefaultAction))
	require.NotNil(t, p.DefaultErrnoRet)
	require.Equal(t, uint(1), *p.DefaultErrnoRet)
	arches := []string{}
	for _, a := range p.Architectures {
		arches = append(arches, string(a))
	}
	require.Equal(t, []string{"SCMP_ARCH_X86", "SCMP_ARCH_X86_64"}, arches)
	require.Len(t, p.Syscalls, 1)
	want := []string{"execve", "mkdir", "openat", "read", "uname", "write"}
	if diff := cmp.Diff(want, p.Syscalls[0].Names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	require.Equal(t, "SCMP_ACT_ALLOW", string(p.Syscalls[0].Action))

	var buf bytes.Buffer
	require.NoError(t, WriteSeccomp(&buf, p))
	f, err := NewFilter(buf.Bytes(), nil)
	require.NoError(t, err)
	require.True(t, f.Decide("SCMP_ARCH_X86", "mkdir", [6]uint64{}).Allowed())
	require.False(t, f.Decide("SCMP_ARCH_X86_64", "mount", [6]uint64{}).Allowed())
}

func TestGenerateSeccompConditions(t *testing.T) {
	tr := NewTrace([]string{"server"})
	tr.Syscalls = map[string]map[string]int{"SCMP_ARCH_X86_64": {"socket": 2, "clone3": 1, "read": 1}}
	tr.Sockets = []Socket{{Family: "inet6", Type: "stream"}, {Family: "unix", Type: "dgram"}}

	p, err := GenerateSeccomp(tr, SeccompOptions{})
	require.NoError(t, err)
	require.Equal(t, []string{"read"}, p.Syscalls[0].Names)

	var buf bytes.Buffer
	require.NoError(t, WriteSeccomp(&buf, p))
	f, err := NewFilter(buf.Bytes(), nil)
	require.NoError(t, err)
	tests := []struct {
		name      string
		syscall   string
		args      [6]uint64
		wantAllow bool
		wantErrno string
	}{
		{"socket inet6", "socket", [6]uint64{10, 1}, true, ""},
		{"socket unix", "socket", [6]uint64{1, 2}, true, ""},
		{"socket inet not traced", "socket", [6]uint64{2, 1}, false, "EPERM"},
		{"clone3 falls back", "clone3", [6]uint64{}, false, "ENOSYS"},
		{"clone for a thread", "clone", [6]uint64{0x3d0f00}, true, ""},
		{"clone with a user namespace", "clone", [6]uint64{0x10000000}, false, "EPERM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := f.Decide("SCMP_ARCH_X86_64", tt.syscall, tt.args)
			require.Equal(t, tt.wantAllow, d.Allowed(), "decision %+v", d)
			require.Equal(t, tt.wantErrno, d.Errno)
		})
	}

	tr.CloneNamespaceFlags = 0x10000000
	p, err = GenerateSeccomp(tr, SeccompOptions{})
	require.NoError(t, err)
	require.Contains(t, p.Syscalls[0].Names, "clone", "a traced namespace clone stays allowed")
}

// TestGenerateSeccompWithinDefault lints a generated profile: its socket
// rule for the traced families and its clone rules are within Docker's
// default profile, so SC007 has nothing to report.
func TestGenerateSeccompWithinDefault(t *testing.T) {
	tr := NewTrace([]string{"server"})
	tr.Syscalls = map[string]map[string]int{"SCMP_ARCH_X86_64": {"socket": 2, "clone3": 1, "read": 1}}
	tr.Sockets = []Socket{{Family: "unix", Type: "stream"}, {Family: "inet6", Type: "dgram"}}
	p, err := GenerateSeccomp(tr, SeccompOptions{Startup: StartupSyscalls()})
	require.NoError(t, err)

	var buf bytes.Buffer
	require.NoError(t, WriteSeccomp(&buf, p))
	require.Contains(t, buf.String(), `"socket"`, "the profile has a socket rule")
	fs, err := rulesseccomp.Lint("generated.json", buf.Bytes())
	require.NoError(t, err)
	for _, f := range fs {
		if f.RuleID == "SC007" || f.RuleID == "SC002" || f.RuleID == "SC003" {
			t.Errorf("%s on a generated profile: %s", f.RuleID, f.Message)
		}
	}
}

func TestGenerateSeccompEmptyTrace(t *testing.T) {
	_, err := GenerateSeccomp(NewTrace([]string{"x"}), SeccompOptions{})
	require.ErrorContains(t, err, "has no syscalls")
}

func TestGenerateSeccompUnknownArch(t *testing.T) {
	tr := NewTrace([]string{"x"})
	tr.AddSyscall("SCMP_ARCH_VAX", "read")
	_, err := GenerateSeccomp(tr, SeccompOptions{})
	require.ErrorContains(t, err, `unknown architecture "SCMP_ARCH_VAX"`)
}

func TestGeneraliseAppArmorPath(t *testing.T) {
	tests := []struct {
		path string
		dir  bool
		want string
	}{
		{"/proc/42/status", false, "/proc/[0-9]*/status"},
		{"/proc/42/task/43/comm", false, "/proc/[0-9]*/task/[0-9]*/comm"},
		{"/proc/42", true, "/proc/[0-9]*/"},
		{"/proc/sys/kernel/hostname", false, "/proc/sys/kernel/hostname"},
		{"/dev/pts/3", false, "/dev/pts/[0-9]*"},
		{"/tmp/cache-x1/data", false, "/tmp/**"},
		{"/dev/shm/sem.x", false, "/dev/shm/**"},
		{"/run/user/1000/bus", false, "/run/user/[0-9]*/bus"},
		{"/etc", true, "/etc/"},
		{"/app/old (deleted)", false, "/app/old"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			require.Equal(t, tt.want, generalise(tt.path, tt.dir))
		})
	}
}

func TestGenerateAppArmor(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, GenerateAppArmor(&buf, sampleTrace(), AppArmorOptions{Name: "app-server"}))
	text := buf.String()

	for _, line := range []string{
		"profile app-server flags=(attach_disconnected,mediate_deleted) {",
		"  /app/server rix,",
		"  /etc/passwd r,",
		"  /proc/[0-9]*/status r,",
		"  /proc/[0-9]*/task/[0-9]*/comm rw,",
		"  /tmp/** rw,",
		"  /var/log/app.log w,",
		"  /var/log/ r,",
		"  /usr/lib/libc.so.6 rm,",
		"  /usr/share/app/* r,",
		"  network inet stream,",
		"  network unix dgram,",
		"  deny /proc/sys/** wklx,",
		"  deny /sys/firmware/** rwklx,",
		"  deny mount,",
		"  signal (receive) peer=unconfined,",
	} {
		require.Contains(t, text, line+"\n")
	}
	require.NotContains(t, text, "family-99")
	require.NotContains(t, text, "/usr/share/app/fa")
	require.True(t, strings.HasSuffix(text, "}\n"))
}

func TestGenerateAppArmorKeepsObservedWrites(t *testing.T) {
	tr := NewTrace([]string{"sysctl"})
	tr.Syscalls = map[string]map[string]int{"SCMP_ARCH_X86_64": {"openat": 1, "setuid": 1}}
	tr.Files = []FileAccess{{Path: "/proc/sys/net/core/somaxconn", Access: "w"}}

	var buf bytes.Buffer
	require.NoError(t, GenerateAppArmor(&buf, tr, AppArmorOptions{Name: "sysctl"}))
	require.Contains(t, buf.String(), "# left out because the program wrote under /proc/sys/")
	require.NotContains(t, buf.String(), "\n  deny /proc/sys/** wklx,")
	require.Contains(t, buf.String(), "  capability setuid,\n")
}

func TestGenerateAppArmorInvalidName(t *testing.T) {
	for _, name := range []string{"", "bad name", "-x", "a{b}"} {
		err := GenerateAppArmor(&bytes.Buffer{}, sampleTrace(), AppArmorOptions{Name: name})
		require.ErrorContains(t, err, "invalid AppArmor profile name", name)
	}
}

func TestAppArmorParserIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	parser, err := exec.LookPath("apparmor_parser")
	if err != nil {
		parser = "/sbin/apparmor_parser"
		if _, statErr := os.Stat(parser); statErr != nil {
			testenv.Unavailable(t, "apparmor_parser not found (Debian package apparmor)")
		}
	}

	traced := traceCommand(t, "sh", "-c", "cat /etc/hostname >/dev/null; ls /proc/self/ >/dev/null")
	traces := map[string]*Trace{"sample": sampleTrace(), "traced sh": traced}
	for name, tr := range traces {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "profile")
			var buf bytes.Buffer
			require.NoError(t, GenerateAppArmor(&buf, tr, AppArmorOptions{Name: "dockward-test"}))
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))

			out, err := exec.Command(parser, "-Q", "-K", path).CombinedOutput()
			require.NoError(t, err, "apparmor_parser: %s\nprofile:\n%s", out, buf.String())
		})
	}
}
