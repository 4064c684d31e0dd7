package syscalls

import (
	"slices"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name    string
		arch    Arch
		syscall string
		wantNr  int
		wantOK  bool
	}{
		{"x86_64 read", "SCMP_ARCH_X86_64", "read", 0, true},
		{"x86 socketcall", "SCMP_ARCH_X86", "socketcall", 102, true},
		{"x86_64 has no socketcall", "SCMP_ARCH_X86_64", "socketcall", 0, false},
		{"aarch64 has no open", "SCMP_ARCH_AARCH64", "open", 0, false},
		{"x32 read carries the x32 bit", "SCMP_ARCH_X32", "read", 0x40000000, true},
		{"mips o32 base", "SCMP_ARCH_MIPS", "read", 4003, true},
		{"loongarch from x/sys only", "SCMP_ARCH_LOONGARCH64", "read", 63, true},
		{"misspelt name", "SCMP_ARCH_X86_64", "reed", 0, false},
		{"unknown architecture", "SCMP_ARCH_VAX", "read", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := Lookup(tt.arch, tt.syscall)
			if ok != tt.wantOK {
				t.Fatalf("Lookup ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && e.Number != tt.wantNr {
				t.Errorf("Lookup number = %d, want %d", e.Number, tt.wantNr)
			}
		})
	}
}

func TestTablesCoverDockerArches(t *testing.T) {
	docker := []Arch{
		"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
		"SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
		"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
		"SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
		"SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
	}
	for _, a := range docker {
		t.Run(string(a), func(t *testing.T) {
			tab := Table(a)
			if len(tab) < 250 {
				t.Fatalf("table has %d syscalls, want at least 250", len(tab))
			}
			if !slices.IsSortedFunc(tab, func(x, y Entry) int {
				return cmpString(x.Name, y.Name)
			}) {
				t.Error("table is not sorted by name")
			}
			if _, ok := Lookup(a, "clone3"); !ok {
				t.Error("clone3 missing: recent syscalls were not merged")
			}
		})
	}
}

func TestSiblingMerge(t *testing.T) {
	e, ok := Lookup("SCMP_ARCH_X32", "statmount")
	if !ok {
		t.Fatal("statmount missing on x32")
	}
	if e.Number != 0x40000000+457 {
		t.Errorf("statmount on x32 = %d, want %d", e.Number, 0x40000000+457)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
