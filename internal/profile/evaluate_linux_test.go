package profile

import (
	"encoding/json"
	"testing"

	"github.com/moby/profiles/seccomp"
	"github.com/stretchr/testify/require"
)

func TestFilterDecide(t *testing.T) {
	def, err := json.Marshal(seccomp.DefaultProfile())
	require.NoError(t, err)
	custom := []byte(`{
	  "defaultAction": "SCMP_ACT_ERRNO",
	  "architectures": ["SCMP_ARCH_X86_64"],
	  "syscalls": [
	    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
	    {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
	    {"names": ["reboot"], "action": "SCMP_ACT_KILL"},
	    {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
	     "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
	              {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
	    {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
	     "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"},
	              {"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]},
	    {"names": ["write"], "action": "SCMP_ACT_ERRNO",
	     "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}
	  ]}`)

	tests := []struct {
		name      string
		profile   []byte
		caps      []string
		arch      string
		syscall   string
		args      [6]uint64
		wantAllow bool
		wantErrno string
	}{
		{name: "default allows read", profile: def, arch: "SCMP_ARCH_X86_64", syscall: "read", wantAllow: true},
		{name: "default denies mount", profile: def, arch: "SCMP_ARCH_X86_64", syscall: "mount", wantErrno: "EPERM"},
		{name: "default allows mount with SYS_ADMIN", profile: def, caps: []string{"CAP_SYS_ADMIN"},
			arch: "SCMP_ARCH_X86_64", syscall: "mount", wantAllow: true},
		{name: "default allows personality 0", profile: def, arch: "SCMP_ARCH_X86_64",
			syscall: "personality", args: [6]uint64{0}, wantAllow: true},
		{name: "default denies personality 1", profile: def, arch: "SCMP_ARCH_X86_64",
			syscall: "personality", args: [6]uint64{1}, wantErrno: "EPERM"},
		{name: "default lists x86", profile: def, arch: "SCMP_ARCH_X86", syscall: "read", wantAllow: true},
		{name: "unlisted arch is killed", profile: custom, arch: "SCMP_ARCH_X86", syscall: "read", wantErrno: "SIGSYS"},
		{name: "custom errnoRet", profile: custom, arch: "SCMP_ARCH_X86_64", syscall: "kill", wantErrno: "EACCES"},
		{name: "kill action", profile: custom, arch: "SCMP_ARCH_X86_64", syscall: "reboot", wantErrno: "SIGSYS"},
		{name: "same index conditions are alternatives", profile: custom, arch: "SCMP_ARCH_X86_64",
			syscall: "socket", args: [6]uint64{2}, wantAllow: true},
		{name: "same index conditions none match", profile: custom, arch: "SCMP_ARCH_X86_64",
			syscall: "socket", args: [6]uint64{10}, wantErrno: "EPERM"},
		{name: "different index conditions all match", profile: custom, arch: "SCMP_ARCH_X86_64",
			syscall: "clone", args: [6]uint64{0x11, 0}, wantAllow: true},
		{name: "different index conditions one fails", profile: custom, arch: "SCMP_ARCH_X86_64",
			syscall: "clone", args: [6]uint64{0x11, 1}, wantErrno: "EPERM"},
		{name: "restrictive rule wins", profile: custom, arch: "SCMP_ARCH_X86_64",
			syscall: "write", args: [6]uint64{2}, wantErrno: "EPERM"},
		{name: "allow rule applies otherwise", profile: custom, arch: "SCMP_ARCH_X86_64",
			syscall: "write", args: [6]uint64{1}, wantAllow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caps := tt.caps
			if caps != nil {
				caps = append(caps, DockerDefaultCaps...)
			}
			f, err := NewFilter(tt.profile, caps)
			require.NoError(t, err)
			d := f.Decide(tt.arch, tt.syscall, tt.args)
			require.Equal(t, tt.wantAllow, d.Allowed(), "decision %+v", d)
			require.Equal(t, tt.wantErrno, d.Errno)
		})
	}
}

func TestNewFilterInvalid(t *testing.T) {
	_, err := NewFilter([]byte(`{"defaultAction": 3}`), nil)
	require.ErrorContains(t, err, "loading seccomp profile")
	_, err = NewFilter([]byte(`{}`), nil)
	require.ErrorContains(t, err, "no default action")
}

func TestCapsFromRunArgs(t *testing.T) {
	caps := capsFromRunArgs([]string{"--cap-drop=ALL", "--cap-add", "net_admin", "--cap-add=CAP_CHOWN"})
	require.ElementsMatch(t, []string{"CAP_NET_ADMIN", "CAP_CHOWN"}, caps)

	caps = capsFromRunArgs([]string{"--cap-drop", "kill"})
	require.NotContains(t, caps, "CAP_KILL")
	require.Contains(t, caps, "CAP_CHOWN")
}
