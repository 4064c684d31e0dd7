package compose

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/input/yamlpos"
)

// maxExtends bounds an extends chain; compose-go reports cycles itself,
// but a chain this long is broken either way.
const maxExtends = 32

// layer is one service definition in an extends chain.
type layer struct {
	file *file
	name string
	node *yaml.Node // the service mapping
}

// extendsRef is the target of one extends key.
type extendsRef struct {
	service string
	file    string // as written; empty for the same file
	line    int
}

func (l *load) readExtends(svc *yaml.Node) (extendsRef, bool) {
	k, v := yamlpos.Field(svc, "extends")
	if k == nil {
		return extendsRef{}, false
	}
	ref := extendsRef{line: k.Line}
	switch v.Kind {
	case yaml.ScalarNode:
		ref.service = l.vars.expand(v.Value)
	case yaml.MappingNode:
		ref.service = l.vars.expand(yamlpos.ScalarValue(yamlpos.Get(v, "service")))
		ref.file = l.vars.expand(yamlpos.ScalarValue(yamlpos.Get(v, "file")))
	}
	return ref, true
}

// checkServices drops each extends key whose chain cannot be followed,
// reporting why, so that compose-go loads the rest of the file. It
// returns whether the tree changed.
func (l *load) checkServices() bool {
	svcs := l.main.services
	if svcs == nil || svcs.Kind != yaml.MappingNode {
		return false
	}
	changed := false
	for i := 0; i+1 < len(svcs.Content); i += 2 {
		name, node := svcs.Content[i].Value, yamlpos.Resolve(svcs.Content[i+1])
		if yamlpos.IsNull(node) {
			// compose rejects a service without a body ("name:").
			l.problem(svcs.Content[i].Line, "service %q is invalid: it has no definition", name)
			svcs.Content = append(svcs.Content[:i], svcs.Content[i+2:]...)
			i -= 2
			changed = true
			continue
		}
		if node.Kind != yaml.MappingNode {
			continue
		}
		layers, err := l.chain(l.main, name)
		if err == nil {
			continue
		}
		// Drop the extends that is broken when it is in this file, so
		// that services extending this one keep the rest of the chain.
		// Otherwise drop the service's own extends.
		brokenName, broken := name, node
		if last := layers[len(layers)-1]; last.file == l.main {
			brokenName, broken = last.name, last.node
		}
		ref, _ := l.readExtends(broken)
		l.problem(ref.line, "service %q: %v; the service is audited without extends", brokenName, err)
		if dropKey(broken, "extends") {
			l.dropped[brokenName] = true
			changed = true
		}
	}
	return changed
}

// chain returns the definitions of a service from the most specific to
// the base, following extends into other files. On error the last layer
// returned is the one whose extends cannot be followed.
func (l *load) chain(f *file, name string) ([]layer, error) {
	var out []layer
	for depth := 0; ; depth++ {
		if depth > maxExtends {
			return out, fmt.Errorf("extends chain is longer than %d services or cyclic", maxExtends)
		}
		_, node := f.service(name)
		if node == nil || node.Kind != yaml.MappingNode {
			if len(out) == 0 {
				return nil, nil
			}
			return out, fmt.Errorf("extends service %q, which is not defined in %s", name, f.path)
		}
		out = append(out, layer{file: f, name: name, node: node})
		ref, ok := l.readExtends(node)
		if !ok {
			return out, nil
		}
		if ref.service == "" {
			return out, fmt.Errorf("extends in %s names no service", f.path)
		}
		if ref.file != "" {
			next, err := l.extendsFile(f, ref.file)
			if err != nil {
				return out, err
			}
			f = next
		}
		name = ref.service
	}
}

// extendsFile reads the compose file named by extends.file relative to the
// file that names it.
func (l *load) extendsFile(from *file, name string) (*file, error) {
	if from.disk == "" {
		return nil, fmt.Errorf("extends.file %q cannot be followed from standard input", name)
	}
	disk := name
	if !filepath.IsAbs(disk) {
		disk = filepath.Join(filepath.Dir(from.disk), name)
	}
	if f, ok := l.files[disk]; ok {
		return f, nil
	}
	if err, ok := l.fileErrs[disk]; ok {
		return nil, err
	}
	f, err := l.readComposeFile(from, name, disk)
	if err != nil {
		l.fileErrs[disk] = err
		return nil, err
	}
	l.files[disk] = f
	return f, nil
}

func (l *load) readComposeFile(from *file, name, disk string) (*file, error) {
	if err := checkReadable(disk); err != nil {
		return nil, fmt.Errorf("extends.file %q %w", name, err)
	}
	data, err := os.ReadFile(disk)
	if err != nil {
		return nil, fmt.Errorf("extends.file %q cannot be read: %w", name, err)
	}
	shown := filepath.ToSlash(filepath.Join(filepath.Dir(from.path), name))
	if filepath.IsAbs(name) {
		shown = name
	}
	docs, err := yamlpos.Parse(shown, data)
	if err != nil {
		return nil, fmt.Errorf("extends.file %q: %w", name, err)
	}
	if len(docs) == 0 || docs[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("extends.file %q is not a compose file: it has no services: section", name)
	}
	svcs := yamlpos.Get(docs[0], "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("extends.file %q is not a compose file: it has no services: section", name)
	}
	return &file{path: shown, disk: disk, root: docs[0], services: svcs}, nil
}

// dropKey removes key from mapping n itself (not from merged mappings).
func dropKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && !yamlpos.IsMergeKey(n.Content[i]) {
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			return true
		}
	}
	return false
}

// includedFiles reads the compose files that the include key names, for
// the positions of their services. A file that cannot be read is left
// out: compose-go reports it when it loads the includes itself.
func (l *load) includedFiles() []*file {
	var out []*file
	for _, entry := range yamlpos.Items(yamlpos.Get(l.main.root, "include")) {
		var paths []*yaml.Node
		switch p := yamlpos.Get(entry, "path"); {
		case entry.Kind == yaml.ScalarNode:
			paths = []*yaml.Node{entry}
		case p != nil && p.Kind == yaml.SequenceNode:
			paths = yamlpos.Items(p)
		case p != nil:
			paths = []*yaml.Node{p}
		}
		for _, p := range paths {
			if f, err := l.extendsFile(l.main, l.vars.expand(yamlpos.ScalarValue(p))); err == nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// maxReferencedSize bounds the compose files that extends and include
// name, like the engine's bound on the files it reads.
const maxReferencedSize = 10 << 20

// checkReadable rejects what must not be read as a compose file: a
// missing file, a device or FIFO such as /dev/zero that would never end,
// and a file above maxReferencedSize. The error completes a sentence
// that starts with the file's name.
func checkReadable(disk string) error {
	info, err := os.Stat(disk)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("not found")
	case err != nil:
		return fmt.Errorf("cannot be read: %w", err)
	case !info.Mode().IsRegular():
		return errors.New("is not a regular file")
	case info.Size() > maxReferencedSize:
		return fmt.Errorf("is larger than %d MiB", maxReferencedSize>>20)
	}
	return nil
}

// checkIncludes drops each include entry whose files cannot be read
// safely, reporting why, so that compose-go does not try to read them.
// It returns whether the tree changed.
func (l *load) checkIncludes() bool {
	inc := yamlpos.Get(l.main.root, "include")
	if inc == nil || inc.Kind != yaml.SequenceNode {
		return false
	}
	kept := inc.Content[:0]
	changed := false
	for _, entry := range inc.Content {
		if reason, line := l.badInclude(yamlpos.Resolve(entry)); reason != "" {
			l.problem(line, "include %s; the included services are not audited", reason)
			changed = true
			continue
		}
		kept = append(kept, entry)
	}
	inc.Content = kept
	return changed
}

// badInclude returns why an include entry cannot be followed, or "".
func (l *load) badInclude(entry *yaml.Node) (string, int) {
	var paths []*yaml.Node
	switch p := yamlpos.Get(entry, "path"); {
	case entry == nil:
		return "", 0
	case entry.Kind == yaml.ScalarNode:
		paths = []*yaml.Node{entry}
	case p != nil && p.Kind == yaml.SequenceNode:
		paths = yamlpos.Items(p)
	case p != nil:
		paths = []*yaml.Node{p}
	}
	for _, p := range paths {
		name := l.vars.expand(yamlpos.ScalarValue(p))
		if l.main.disk == "" {
			return fmt.Sprintf("%q cannot be followed from standard input", name), p.Line
		}
		disk := name
		if !filepath.IsAbs(disk) {
			disk = filepath.Join(filepath.Dir(l.main.disk), name)
		}
		if err := checkReadable(disk); err != nil {
			return fmt.Sprintf("%q %v", name, err), p.Line
		}
	}
	return "", 0
}
