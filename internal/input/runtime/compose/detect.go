package compose

import (
	"path"
	"regexp"
	"strings"
)

// fileNames are the names compose itself looks for, and the override
// files it merges.
var fileNames = map[string]bool{
	"compose.yaml": true, "compose.yml": true,
	"docker-compose.yaml": true, "docker-compose.yml": true,
	"compose.override.yaml": true, "compose.override.yml": true,
	"docker-compose.override.yaml": true, "docker-compose.override.yml": true,
}

// WantsName reports whether a file name is one compose uses by default,
// or follows the docker-compose.*.yml and compose.*.yaml patterns.
func WantsName(p string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, "\\", "/")))
	if fileNames[base] {
		return true
	}
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	return strings.HasPrefix(base, "docker-compose.") || strings.HasPrefix(base, "docker-compose-") ||
		strings.HasPrefix(base, "compose.") || strings.HasPrefix(base, "compose-")
}

var servicesRE = regexp.MustCompile(`(?m)^(?:services|"services")[ \t]*:[ \t]*(?:#.*)?(\{.*)?\r?$`)

// Detect reports whether data looks like a compose file: a top-level
// services key whose value is a mapping. A list there, as in a GitLab CI
// file's services, does not count. It decodes nothing.
func Detect(data []byte) bool {
	for _, loc := range servicesRE.FindAllSubmatchIndex(data, -1) {
		if loc[2] >= 0 {
			return true // services: {web: ...}
		}
		if nextEntryIsKey(data[loc[1]:]) {
			return true
		}
	}
	return false
}

// nextEntryIsKey reports whether the first line after a key that is not
// blank or a comment is an indented mapping key.
func nextEntryIsKey(rest []byte) bool {
	for _, line := range strings.Split(string(rest), "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		return indented && !strings.HasPrefix(trimmed, "-") && strings.Contains(trimmed, ":")
	}
	return false
}
