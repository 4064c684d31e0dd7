package secrets

import (
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/secrets"
)

// maxEnvFileSize caps the env files read for a compose file.
const maxEnvFileSize = 1 << 20

// composeEnvFiles returns the env_file entries of a compose file's
// services, as slash paths relative to the compose file: the short form
// (a string or a list of strings) and the long form ({path, required}).
func composeEnvFiles(data []byte) []string {
	var doc struct {
		Services map[string]struct {
			EnvFile yaml.Node `yaml:"env_file"`
		} `yaml:"services"`
	}
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if p != "" && !seen[p] && !strings.Contains(p, "${") {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, s := range doc.Services {
		n := s.EnvFile
		switch n.Kind {
		case yaml.ScalarNode:
			add(n.Value)
		case yaml.SequenceNode:
			for _, item := range n.Content {
				switch item.Kind {
				case yaml.ScalarNode:
					add(item.Value)
				case yaml.MappingNode:
					add(scalar(item, "path"))
				}
			}
		}
	}
	return out
}

// envFileFindings reports the secrets in the env files a compose file
// names, read through root so that no path leaves the project. An env
// file is loaded into the container's environment whatever its name, so
// its NAME=value lines are judged by name as in .env files. Files named
// like .env are skipped: the tree walk reports them on their own.
func envFileFindings(sc *secrets.Scanner, root *os.Root, composePath, composeRel string, data []byte) []finding.Finding {
	if root == nil {
		return nil
	}
	var fs []finding.Finding
	for _, ref := range composeEnvFiles(data) {
		rel := path.Clean(path.Join(path.Dir(composeRel), ref))
		if isDotenvName(rel) || strings.HasPrefix(rel, "../") || sc.SkipsPath(rel) {
			continue
		}
		content, err := readRootFile(root, rel)
		if err != nil {
			continue
		}
		show := path.Join(path.Dir(composePath), ref)
		fs = append(fs, dotenvLines(sc, show, content, sc.Scan("", content))...)
	}
	return fs
}

func readRootFile(root *os.Root, rel string) ([]byte, error) {
	f, err := root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fs.ErrInvalid
	}
	return io.ReadAll(io.LimitReader(f, maxEnvFileSize))
}
