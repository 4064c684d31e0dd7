package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"

	ignore "github.com/sabhiram/go-gitignore"

	"github.com/dockward/dockward/internal/finding"
)

// IgnoreFileName is the gitignore-style file of paths a walk skips.
const IgnoreFileName = ".dockwardignore"

// skippedDirs are directory names never walked: version control data and
// vendored third-party code.
var skippedDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true,
	"vendor": true, "node_modules": true, "third_party": true,
	".terraform": true, ".venv": true, "__pycache__": true,
}

// candidate is a file found by a walk, not yet read.
type candidate struct {
	abs  string // OS path
	show string // path for reports
	rel  string // slash path relative to the root
	size int64
}

// walk lists the regular files under dir in lexical order. Symbolic links
// are not followed; a link that leaves the tree is recorded as a problem.
func walk(dir string, log *slog.Logger) ([]candidate, []finding.Problem) {
	var (
		files    []candidate
		problems []finding.Problem
	)
	ign := loadIgnore(dir, &problems)
	absRoot, _ := filepath.Abs(dir)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			problems = append(problems, finding.Problem{Path: p, Kind: "read",
				Reason: readReason(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if rel == "." {
			return nil
		}
		if d.IsDir() {
			if skippedDirs[d.Name()] || (ign != nil && ign.MatchesPath(rel+"/")) {
				log.Debug("skipping directory", slog.String("path", p))
				return fs.SkipDir
			}
			return nil
		}
		if ign != nil && ign.MatchesPath(rel) {
			log.Debug("skipping ignored file", slog.String("path", p))
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if reason, outside := linkLeavesTree(p, absRoot); outside {
				problems = append(problems, finding.Problem{Path: p, Kind: "skipped", Reason: reason})
			} else {
				log.Debug("not following symbolic link", slog.String("path", p))
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			problems = append(problems, finding.Problem{Path: p, Kind: "read", Reason: readReason(err)})
			return nil
		}
		files = append(files, candidate{abs: p, show: p, rel: rel, size: info.Size()})
		return nil
	})
	if err != nil {
		problems = append(problems, finding.Problem{Path: dir, Kind: "read", Reason: readReason(err)})
	}
	return files, problems
}

func loadIgnore(dir string, problems *[]finding.Problem) *ignore.GitIgnore {
	p := filepath.Join(dir, IgnoreFileName)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		*problems = append(*problems, finding.Problem{Path: p, Kind: "read", Reason: readReason(err)})
		return nil
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	return ignore.CompileIgnoreLines(lines...)
}

// linkLeavesTree reports whether the symbolic link at p points outside
// root, with a reason for the report.
func linkLeavesTree(p, root string) (string, bool) {
	target, err := os.Readlink(p)
	if err != nil {
		return "symbolic link cannot be read: " + readReason(err), true
	}
	resolved := target
	if !filepath.IsAbs(target) {
		resolved = filepath.Join(filepath.Dir(p), target)
	}
	resolved, _ = filepath.Abs(resolved)
	if resolved != root && !strings.HasPrefix(resolved, root+string(filepath.Separator)) {
		return fmt.Sprintf("symbolic link to %q points outside the tree and is not followed", target), true
	}
	return "", false
}

// readFile reads at most MaxFileSize bytes of a file.
func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errTooLarge
	}
	return data, nil
}

var errTooLarge = fmt.Errorf("file is larger than %d MiB and was not read", MaxFileSize>>20)

func readReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied: grant read access or add the path to " + IgnoreFileName
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	}
	return err.Error()
}

func isBinary(data []byte) bool {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// displayPath joins the target as the user wrote it with a walked path.
func displayPath(target, rel string) string {
	if target == "." || target == "./" {
		return rel
	}
	return path.Join(filepath.ToSlash(target), rel)
}
