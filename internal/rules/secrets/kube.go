package secrets

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/secrets"
)

// kubernetesSecrets reports each key of a committed Secret manifest's
// data and stringData, and returns the byte ranges of the reported values
// so that detectors do not report them a second time.
func kubernetesSecrets(sc *secrets.Scanner, path string, data []byte) ([]finding.Finding, []span) {
	if !bytes.Contains(data, []byte("Secret")) || !bytes.Contains(data, []byte("kind")) {
		return nil, nil
	}
	lines := lineStarts(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var (
		fs    []finding.Finding
		spans []span
	)
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// Templates and other invalid YAML are left to the detectors.
			break
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		for _, m := range secretObjects(doc.Content[0]) {
			f, sp := secretObjectFindings(sc, path, lines, m)
			fs = append(fs, f...)
			spans = append(spans, sp...)
		}
	}
	return fs, spans
}

// secretObjects returns the Secret objects of a document: the document
// itself, or the items of a List, as kubectl get -o yaml writes them.
func secretObjects(m *yaml.Node) []*yaml.Node {
	switch scalar(m, "kind") {
	case "Secret":
		return []*yaml.Node{m}
	case "List", "SecretList":
		var out []*yaml.Node
		if items := child(m, "items"); items != nil && items.Kind == yaml.SequenceNode {
			for _, it := range items.Content {
				if it.Kind == yaml.MappingNode && scalar(it, "kind") == "Secret" {
					out = append(out, it)
				}
			}
		}
		return out
	}
	return nil
}

func secretObjectFindings(sc *secrets.Scanner, path string, lines []int, m *yaml.Node) ([]finding.Finding, []span) {
	var (
		fs    []finding.Finding
		spans []span
	)
	name := ""
	if md := child(m, "metadata"); md != nil {
		name = scalar(md, "name")
	}
	for _, field := range []string{"data", "stringData"} {
		block := child(m, field)
		if block == nil || block.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(block.Content); i += 2 {
			k, v := block.Content[i], block.Content[i+1]
			f, ok := secretKeyFinding(sc, path, name, field, k, v)
			if !ok {
				continue
			}
			fs = append(fs, f)
			spans = append(spans, nodeSpan(lines, v))
		}
	}
	return fs, spans
}

func secretKeyFinding(sc *secrets.Scanner, path, name, field string, k, v *yaml.Node) (finding.Finding, bool) {
	if v.Kind != yaml.ScalarNode {
		return finding.Finding{}, false
	}
	value := v.Value
	how := "in stringData"
	if field == "data" {
		raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(value), ""))
		if err != nil {
			how = "in data (not valid base64)"
		} else {
			value = string(raw)
			how = "in data (base64-decoded)"
		}
	}
	trimmed := strings.TrimSpace(value)
	if trimmed == "" || strings.Contains(v.Value, "{{") || strings.Contains(v.Value, "${") ||
		isPublicPEM(trimmed) {
		return finding.Finding{}, false
	}
	what, ok := describeSecretValue(sc, k.Value, value)
	if !ok {
		return finding.Finding{}, false
	}
	loc := finding.Location{Path: path, StartLine: k.Line, StartColumn: k.Column, EndLine: v.Line}
	return KubernetesSecretManifest.New(loc, "Secret %q commits key %q %s: %s", name, k.Value, how, what), true
}

// describeSecretValue returns the message text for the value of a
// Secret key, or false when the key is not reported. A key that names
// data which is not secret on its own (a user name, host, port, database
// name, email address, or URL without a password) is reported only when a
// token detector recognises its value. Other keys are reported even when
// no detector recognises the value, because the data of a Secret is
// secret unless a key's name marks it as something else.
func describeSecretValue(sc *secrets.Scanner, key, value string) (string, bool) {
	trimmed := strings.TrimSpace(value)
	nonSecret := secrets.NamesNonSecretData(key)
	if m, ok := sc.Classify(key, trimmed); ok && (!nonSecret || !isGeneric(m.RuleID)) {
		return describe(m), true
	}
	for _, m := range sc.Scan("", []byte(value)) {
		if !nonSecret || !isGeneric(m.RuleID) {
			return describe(m), true
		}
	}
	switch {
	case nonSecret && hasURLPassword(trimmed):
		return "a URL with a password", true
	case nonSecret, isPlaceholderValue(sc, trimmed):
		return "", false
	}
	return fmt.Sprintf("a value of %d bytes", len(value)), true
}

// isGeneric reports whether a detector rule relies on a name beside the
// value instead of a format of its own.
func isGeneric(ruleID string) bool {
	for _, d := range secrets.Detectors() {
		if d.ID == ruleID {
			return d.Generic
		}
	}
	return false
}

// hasURLPassword reports whether v is a URL with a password in its user
// information, such as scheme://user:password@host, for schemes that no
// detector covers.
func hasURLPassword(v string) bool {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		return false
	}
	p, ok := u.User.Password()
	return ok && p != ""
}

// isPlaceholderValue reports whether the allow-list treats a value as a
// placeholder, so a Secret that only holds "changeme" is not reported.
func isPlaceholderValue(sc *secrets.Scanner, v string) bool {
	_, ok := sc.Classify("password", v)
	return !ok
}

func child(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(m *yaml.Node, key string) string {
	if c := child(m, key); c != nil && c.Kind == yaml.ScalarNode {
		return c.Value
	}
	return ""
}

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// nodeSpan returns the bytes from a value node's line to the end of the
// line before the next key, which covers block scalars.
func nodeSpan(lines []int, v *yaml.Node) span {
	start := lines[min(v.Line-1, len(lines)-1)] + max(v.Column-1, 0)
	endLine := v.Line + strings.Count(v.Value, "\n")
	end := lines[len(lines)-1]
	if endLine < len(lines) {
		end = lines[endLine]
	}
	return span{start: start, end: max(end, start+1)}
}

// isPublicPEM reports whether a value holds only certificates or public
// keys, such as the tls.crt and ca.crt of a TLS Secret, which are not
// secret.
func isPublicPEM(v string) bool {
	if !strings.HasPrefix(v, "-----BEGIN ") || strings.Contains(v, "PRIVATE KEY") {
		return false
	}
	return strings.HasPrefix(v, "-----BEGIN CERTIFICATE-----") ||
		strings.HasPrefix(v, "-----BEGIN PUBLIC KEY-----") ||
		strings.HasPrefix(v, "-----BEGIN X509 CRL-----")
}
