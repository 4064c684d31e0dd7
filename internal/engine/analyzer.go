// Package engine finds the inputs under the paths a user names, routes each
// to the analyzers that want it, runs them concurrently, and applies the
// configuration and suppressions to what they find. It never formats.
package engine

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/finding"
)

// MaxFileSize is the largest file the engine reads. Larger files are
// reported as problems when an analyzer wants them by name.
const MaxFileSize = 10 << 20

// File is one input handed to analyzers.
type File struct {
	// Path is the path shown in reports: relative to the walked directory
	// joined to the directory as given, the file as given, or "-".
	Path string
	// Rel is the slash-separated path relative to the project root, used
	// for ignore patterns.
	Rel string
	// Data is the whole content.
	Data []byte
	// Binary is true when the first 8 KiB contain a NUL byte.
	Binary bool
}

// Env is what an analyzer may use beside its file.
type Env struct {
	Config *config.Config
	Logger *slog.Logger
	// Now is the clock rules use for dates, such as end-of-life checks.
	Now time.Time
	// Root is the project root, opened so that reads cannot leave it. It
	// is nil for standard input.
	Root *os.Root
	// RootDir is the project root as given.
	RootDir string
	// Target is the build stage that runtime rules apply to; empty means
	// the last stage.
	Target string
}

// Result is what an analyzer returns for one file.
type Result struct {
	Findings []finding.Finding
	Problems []finding.Problem
}

// Analyzer inspects one kind of input.
type Analyzer interface {
	// Name is the input type, as given to --type.
	Name() string
	// Wants reports whether the analyzer inspects the file, from its path
	// and content. It must be cheap: it runs for every file in a tree.
	Wants(f *File) bool
	// Analyze inspects the file. A file it cannot decode is a problem in
	// the result, never a panic or an error.
	Analyze(ctx context.Context, f *File, env *Env) Result
}

// NameMatcher is implemented by analyzers that can tell from the path
// alone that a file is theirs, so the engine reports an oversized or
// unreadable file instead of skipping it silently.
type NameMatcher interface {
	WantsName(path string) bool
}
