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

var servicesRE = regexp.MustCompile(`(?m)^(?:services|"services")[ \t]*:[ \t]*(?:#.*)?(?:\{.*)?\r?$`)

// Detect reports whether data looks like a compose file: a top-level
// services key at the start of a line. It decodes nothing.
func Detect(data []byte) bool {
	return servicesRE.Match(data)
}
