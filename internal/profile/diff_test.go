package profile

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/input/seccomp"
)

func mustParse(t *testing.T, text string) *seccomp.Profile {
	t.Helper()
	ps, err := seccomp.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return ps[0]
}

func TestDiffSeccomp(t *testing.T) {
	a := mustParse(t, `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
"syscalls": [{"names": ["read", "write", "open", "mount"], "action": "SCMP_ACT_ALLOW"},
{"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}}]}`)
	b := mustParse(t, `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["read", "write", "kill"], "action": "SCMP_ACT_ALLOW"},
{"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
{"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}}]}`)

	d := DiffSeccomp("a.json", a, "b.json", b)
	want := []ArchDiff{
		{Arch: "SCMP_ARCH_AARCH64", OnlyA: []Grant{{"mount", []string{""}}, {"read", []string{""}}, {"write", []string{""}}}},
		{
			Arch:    "SCMP_ARCH_X86_64",
			OnlyA:   []Grant{{"open", []string{""}}},
			OnlyB:   []Grant{{"kill", []string{""}}},
			Changed: []GrantPair{{"mount", []string{""}, []string{"with CAP_SYS_ADMIN"}}},
		},
	}
	if diff := cmp.Diff(want, d.Arches); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}

	var out bytes.Buffer
	if err := d.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	wantText := `--- a.json
+++ b.json
SCMP_ARCH_AARCH64
  - mount (unconditionally)
  - read (unconditionally)
  - write (unconditionally)
SCMP_ARCH_X86_64
  - open (unconditionally)
  + kill (unconditionally)
  ~ mount: (unconditionally) -> (with CAP_SYS_ADMIN)
`
	if diff := cmp.Diff(wantText, out.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestDiffSeccompSame(t *testing.T) {
	d := DiffSeccomp("default", seccomp.Default(), "default", seccomp.Default())
	if !d.Empty() {
		t.Errorf("default against itself is not empty: %+v", d.Arches)
	}
}

func TestDiffSeccompBlockList(t *testing.T) {
	a := mustParse(t, `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`)
	b := mustParse(t, `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
"syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO"},
{"names": ["clone"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 268435456, "valueTwo": 268435456, "op": "SCMP_CMP_MASKED_EQ"}]}]}`)
	d := DiffSeccomp("a", a, "b", b)
	onlyB := map[string][]string{}
	for _, g := range d.Arches[0].OnlyB {
		onlyB[g.Syscall] = g.Conditions
	}
	if _, ok := onlyB["mount"]; ok {
		t.Error("mount is denied by b but listed as allowed")
	}
	if got := onlyB["clone"]; len(got) != 1 || got[0] != "unless arg0 & 0x10000000 == 0x10000000" {
		t.Errorf("clone conditions = %q", got)
	}
	if _, ok := onlyB["kexec_load"]; !ok {
		t.Error("kexec_load is allowed by b's default action but not listed")
	}
}
