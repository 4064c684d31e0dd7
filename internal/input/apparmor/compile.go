package apparmor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// ErrNoParser is returned by Compile when apparmor_parser is not installed.
var ErrNoParser = errors.New("apparmor_parser not found: install the apparmor package")

// ParserPath returns the path of apparmor_parser, or "" when it is missing.
func ParserPath() string {
	for _, p := range []string{"apparmor_parser", "/sbin/apparmor_parser", "/usr/sbin/apparmor_parser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return ""
}

// Compile compiles a profile file with apparmor_parser without loading it
// into the kernel (-Q) or touching the cache (-K), which works on kernels
// without AppArmor. It returns the parser's message when it rejects the
// file.
func Compile(ctx context.Context, path string) error {
	parser := ParserPath()
	if parser == "" {
		return ErrNoParser
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, parser, "-Q", "-K", path)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			// The parser warns about the missing kernel interface on every run.
			if !strings.HasPrefix(l, "Cache read/write disabled") && l != "" {
				lines = append(lines, l)
			}
		}
		return fmt.Errorf("compiling AppArmor profile %q: %s", path, strings.Join(lines, "; "))
	}
	return nil
}
