// Package syscalls holds the Linux syscall tables of every architecture
// that Docker's seccomp profiles name. The seccomp reader and rules use it
// to tell a misspelt or foreign syscall name from a real one.
//
// The table is generated, never typed by hand: golang.org/x/sys/unix
// provides the numbers the kernel headers define, and the installed
// libseccomp provides the names it can resolve (see internal/gen). The
// versions of both are XSysVersion and LibseccompVersion.
package syscalls

//go:generate go run -tags generate ./internal/gen -o table.go

import (
	"slices"
	"sync"
)

// Arch is a seccomp architecture name, such as "SCMP_ARCH_X86_64".
type Arch string

// Source is a bit set of the sources that list a syscall.
type Source uint8

// Sources of a table entry.
const (
	// FromXSys marks syscalls listed by golang.org/x/sys/unix.
	FromXSys Source = 1 << iota
	// FromLibseccomp marks syscalls that libseccomp resolves.
	FromLibseccomp
	// FromSibling marks syscalls numbered from 424 that an ABI without an
	// x/sys table (x32, mips64n32, s390, parisc) shares with a sibling ABI
	// that has one: since Linux 5.1 every architecture numbers new
	// syscalls alike.
	FromSibling
)

// Entry is one syscall of one architecture.
type Entry struct {
	Name    string
	Number  int
	Sources Source
}

// Arches returns every architecture in the table, sorted.
func Arches() []Arch {
	arches := make([]Arch, 0, len(tables))
	for a := range tables {
		arches = append(arches, a)
	}
	slices.Sort(arches)
	return arches
}

// Table returns the syscalls of an architecture sorted by name, or nil for
// an architecture the table lacks.
func Table(arch Arch) []Entry { return tables[arch] }

// byName indexes the tables by architecture and name.
var byName = sync.OnceValue(func() map[Arch]map[string]Entry {
	idx := make(map[Arch]map[string]Entry, len(tables))
	for a, t := range tables {
		m := make(map[string]Entry, len(t))
		for _, e := range t {
			m[e.Name] = e
		}
		idx[a] = m
	}
	return idx
})

// anywhere holds every name of every architecture.
var anywhere = sync.OnceValue(func() map[string]bool {
	names := make(map[string]bool)
	for _, t := range tables {
		for _, e := range t {
			names[e.Name] = true
		}
	}
	return names
})

// Lookup returns the entry of a syscall on an architecture.
func Lookup(arch Arch, name string) (Entry, bool) {
	e, ok := byName()[arch][name]
	return e, ok
}

// KnownArch reports whether the table has the architecture.
func KnownArch(arch Arch) bool {
	_, ok := tables[arch]
	return ok
}

// KnownAnywhere reports whether any architecture has the syscall.
func KnownAnywhere(name string) bool {
	return anywhere()[name]
}
