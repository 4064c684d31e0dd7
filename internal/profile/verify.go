package profile

import (
	"fmt"
	"strings"
)

// VerifyResult is the outcome of running a workload under a profile.
type VerifyResult struct {
	Image   string   `json:"image,omitempty"`
	Command []string `json:"command,omitempty"`
	// Started is set when the workload's program was executed under the
	// profile, after the runtime installed it.
	Started  bool   `json:"started"`
	ExitCode int    `json:"exit_code"`
	Signal   string `json:"signal,omitempty"`
	TimedOut bool   `json:"timed_out,omitempty"`
	// Error is the runtime's message when the container failed to start.
	Error string `json:"error,omitempty"`
	// Denied lists the syscalls the profile denied, with the errno or
	// signal they got.
	Denied []Denial `json:"denied"`
	// RuntimeCalls lists the syscalls that the runtime made after it
	// installed the filter and before it executed the workload.
	RuntimeCalls []string `json:"runtime_calls,omitempty"`
	// Simulated is set when the profile was evaluated against each call of
	// an unconfined run instead of being installed (local commands).
	Simulated bool `json:"simulated,omitempty"`
	// Output is the end of the workload's standard output and error.
	Output string `json:"output,omitempty"`
}

// WorkloadDenied returns the denials of calls that the workload made, as
// opposed to the runtime before it executed the workload.
func (r *VerifyResult) WorkloadDenied() []Denial {
	var out []Denial
	for _, d := range r.Denied {
		if !d.Runtime {
			out = append(out, d)
		}
	}
	return out
}

// OK reports whether the workload started and exited with status 0.
func (r *VerifyResult) OK() bool {
	return r.Started && r.ExitCode == 0 && r.Signal == "" && !r.TimedOut
}

// Summary returns a short text report of the result.
func (r *VerifyResult) Summary() string {
	var b strings.Builder
	target := r.Image
	if target == "" {
		target = strings.Join(r.Command, " ")
	}
	if r.Simulated {
		fmt.Fprintf(&b, "%s (simulated: the profile was evaluated, not installed)\n", target)
	} else {
		fmt.Fprintf(&b, "%s\n", target)
	}
	fmt.Fprintf(&b, "started: %t\n", r.Started)

	switch {
	case r.TimedOut:
		b.WriteString("exit: timed out\n")
	case r.Signal != "":
		fmt.Fprintf(&b, "exit: killed by %s\n", r.Signal)
	default:
		fmt.Fprintf(&b, "exit status: %d\n", r.ExitCode)
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "error: %s\n", r.Error)
	}

	if len(r.Denied) == 0 {
		b.WriteString("denied: none\n")
		return b.String()
	}
	b.WriteString("denied:\n")
	for _, d := range r.Denied {
		fmt.Fprintf(&b, "  %s %s -> %s (%d×)", d.Arch, d.Syscall, d.Errno, d.Count)
		if d.Path != "" {
			fmt.Fprintf(&b, " %s", d.Path)
		}
		if d.Runtime {
			b.WriteString(" [runtime]")
		}
		b.WriteString("\n")
	}
	return b.String()
}
