// Package profile writes seccomp and AppArmor profiles from what a program
// really does and proves them by running it. A Trace records the syscalls,
// files, executed binaries and sockets of a program run under ptrace. The
// generators turn a trace into profiles, and VerifyImage runs a workload
// under a profile and reports which syscalls the profile denied.
package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// TraceVersion is the version of the trace file format that WriteTrace writes.
const TraceVersion = 1

// ErrUnsupported is returned where tracing is not available, such as on a
// system other than Linux.
var ErrUnsupported = errors.New("tracing with ptrace needs Linux")

// Trace is the record of a traced program run: its syscalls per
// architecture, the files it opened, the binaries it executed, the sockets it
// created and the calls that failed with EPERM or EACCES.
type Trace struct {
	Version int      `json:"version"`
	Command []string `json:"command"`
	// Image is the container image the command ran in, if any.
	Image string `json:"image,omitempty"`
	// ExitCode is the exit status of the first process, or -1 when a signal
	// ended it.
	ExitCode int `json:"exit_code"`
	// Signal names the signal that ended the first process, such as SIGSYS.
	Signal string `json:"signal,omitempty"`
	// TimedOut is set when the time limit ended the run.
	TimedOut bool `json:"timed_out,omitempty"`
	// Syscalls counts calls by seccomp architecture and syscall name.
	Syscalls map[string]map[string]int `json:"syscalls"`
	// UnknownSyscalls lists syscall numbers missing from the syscall table,
	// by architecture.
	UnknownSyscalls map[string][]int `json:"unknown_syscalls,omitempty"`
	Files           []FileAccess     `json:"files,omitempty"`
	Executed        []string         `json:"executed,omitempty"`
	Sockets         []Socket         `json:"sockets,omitempty"`
	Denied          []Denial         `json:"denied,omitempty"`
	// CloneNamespaceFlags is the union of the CLONE_NEW* flags that clone
	// calls passed; 0 when none created a namespace.
	CloneNamespaceFlags uint64 `json:"clone_namespace_flags,omitempty"`
	// Processes is the number of processes and threads traced.
	Processes int `json:"processes"`
}

// FileAccess is a path and how the program used it. Access holds AppArmor
// permission letters: r (read), w (write, create, delete, rename, chmod),
// a (append), l (hard link), m (mapped executable) and x (executed).
type FileAccess struct {
	Path   string `json:"path"`
	Access string `json:"access"`
	// Dir is set when the path is a directory.
	Dir bool `json:"dir,omitempty"`
}

// Socket is a socket family and type that the program created, in
// AppArmor's words, such as {"inet", "stream"} or {"unix", "dgram"}.
type Socket struct {
	Family string `json:"family"`
	Type   string `json:"type,omitempty"`
}

// Denial is a syscall that failed with EPERM or EACCES, or that a profile
// under test denied.
type Denial struct {
	Arch    string `json:"arch"`
	Syscall string `json:"syscall"`
	Errno   string `json:"errno,omitempty"`
	// Path is the first path argument, when the syscall has one.
	Path string `json:"path,omitempty"`
	// Runtime is set for calls that the container runtime made after it
	// installed the filter and before it executed the workload.
	Runtime bool `json:"runtime,omitempty"`
	Count   int  `json:"count"`
}

// NewTrace returns an empty trace of command.
func NewTrace(command []string) *Trace {
	return &Trace{
		Version:  TraceVersion,
		Command:  command,
		Syscalls: map[string]map[string]int{},
	}
}

// ReadTrace decodes a trace file.
func ReadTrace(r io.Reader) (*Trace, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var t Trace
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("decoding trace: %w", err)
	}
	if t.Version != TraceVersion {
		return nil, fmt.Errorf("unsupported trace version %d: expected %d; trace the program again",
			t.Version, TraceVersion)
	}
	if t.Syscalls == nil {
		t.Syscalls = map[string]map[string]int{}
	}
	return &t, nil
}

// Write encodes the trace as indented JSON.
func (t *Trace) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(t)
}

// Arches returns the architectures that made syscalls, sorted.
func (t *Trace) Arches() []string {
	return slices.Sorted(maps.Keys(t.Syscalls))
}

// SyscallNames returns the sorted names of the syscalls made on arch.
func (t *Trace) SyscallNames(arch string) []string {
	return slices.Sorted(maps.Keys(t.Syscalls[arch]))
}

// AddSyscall counts one call of name on arch.
func (t *Trace) AddSyscall(arch, name string) {
	m := t.Syscalls[arch]
	if m == nil {
		m = map[string]int{}
		t.Syscalls[arch] = m
	}
	m[name]++
}

// recorder collects the parts of a trace that need merging while the trace
// runs, and writes them into the Trace at the end.
type recorder struct {
	files    map[string]*FileAccess
	executed map[string]bool
	sockets  map[Socket]bool
	denied   map[Denial]int
	unknown  map[string]map[int]bool
}

func newRecorder() *recorder {
	return &recorder{
		files:    map[string]*FileAccess{},
		executed: map[string]bool{},
		sockets:  map[Socket]bool{},
		denied:   map[Denial]int{},
		unknown:  map[string]map[int]bool{},
	}
}

func (r *recorder) file(path, access string, dir bool) {
	if path == "" || access == "" {
		return
	}
	f := r.files[path]
	if f == nil {
		f = &FileAccess{Path: path}
		r.files[path] = f
	}
	f.Access = mergeAccess(f.Access, access)
	f.Dir = f.Dir || dir
}

func (r *recorder) deny(d Denial) {
	d.Count = 0
	r.denied[d]++
}

func (r *recorder) unknownSyscall(arch string, nr int) {
	if r.unknown[arch] == nil {
		r.unknown[arch] = map[int]bool{}
	}
	r.unknown[arch][nr] = true
}

// finish writes the collected values into t in a stable order.
func (r *recorder) finish(t *Trace) {
	t.Files = t.Files[:0]
	for _, p := range slices.Sorted(maps.Keys(r.files)) {
		t.Files = append(t.Files, *r.files[p])
	}
	t.Executed = slices.Sorted(maps.Keys(r.executed))

	t.Sockets = slices.Collect(maps.Keys(r.sockets))
	sort.Slice(t.Sockets, func(i, j int) bool {
		a, b := t.Sockets[i], t.Sockets[j]
		return a.Family < b.Family || (a.Family == b.Family && a.Type < b.Type)
	})

	t.Denied = t.Denied[:0]
	for d, n := range r.denied {
		d.Count = n
		t.Denied = append(t.Denied, d)
	}
	sort.Slice(t.Denied, func(i, j int) bool {
		a, b := t.Denied[i], t.Denied[j]
		if a.Arch != b.Arch {
			return a.Arch < b.Arch
		}
		if a.Syscall != b.Syscall {
			return a.Syscall < b.Syscall
		}
		return a.Path < b.Path
	})

	if len(r.unknown) > 0 {
		t.UnknownSyscalls = map[string][]int{}
		for arch, nrs := range r.unknown {
			t.UnknownSyscalls[arch] = slices.Sorted(maps.Keys(nrs))
		}
	}
}

// mergeAccess returns the union of two permission strings in a fixed order.
func mergeAccess(a, b string) string {
	var out strings.Builder
	for _, c := range "rwalmx" {
		if strings.ContainsRune(a, c) || strings.ContainsRune(b, c) {
			out.WriteRune(c)
		}
	}
	return out.String()
}
