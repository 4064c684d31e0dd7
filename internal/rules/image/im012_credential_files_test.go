package image

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// credentialPlace is where an IM012 finding points and the note that
// ends its message.
type credentialPlace struct {
	LayerIndex int
	Note       string
}

func credentialPlaces(t *testing.T, fs []finding.Finding) []credentialPlace {
	t.Helper()
	var out []credentialPlace
	for _, f := range fs {
		if f.RuleID != im012.ID {
			continue
		}
		require.NotNil(t, f.Location.LayerIndex, f.Message)
		note := ""
		if i := strings.LastIndex(f.Message, "; "); i >= 0 {
			note = f.Message[i+2:]
		}
		out = append(out, credentialPlace{LayerIndex: *f.Location.LayerIndex, Note: note})
	}
	return out
}

func TestIM012AttributesEditedCopies(t *testing.T) {
	gen := secrettest.NewGenerator(7)
	awsKey := func() string {
		return "[default]\naws_access_key_id = AKIA" + gen.String("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) +
			"\naws_secret_access_key = " + gen.String("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789", 40) + "\n"
	}
	creds, rotated := awsKey(), awsKey()
	const p = "/root/.aws/credentials"
	add := []tf{reg(p, creds)}
	chmod := []tf{reg(p, creds).withMode(0o600)}
	appended := []tf{reg(p, creds+"region = eu-west-1\n")}
	tests := []struct {
		name   string
		layers [][]tf
		want   []credentialPlace
	}{
		{"added once", [][]tf{add}, []credentialPlace{{0, ""}}},
		{"chmod layer", [][]tf{add, chmod},
			[]credentialPlace{{0, "layer 0 added it, and layer 1 rewrote the file and kept it"}}},
		{"chmod then append", [][]tf{add, chmod, appended},
			[]credentialPlace{{0, "layer 0 added it, and layer 2 rewrote the file and kept it"}}},
		{"rotated", [][]tf{add, chmod, {reg(p, rotated)}},
			[]credentialPlace{{2, ""}, {0, "layer 2 deleted or replaced it, but it is still readable in layer 0"}}},
		{"edited then deleted", [][]tf{add, appended, {reg("/root/.aws/.wh.credentials", "")}},
			[]credentialPlace{{0, "layer 2 deleted or replaced it, but it is still readable in layer 0"}}},
		{"env lines kept", [][]tf{{reg("/app/.env", "DEBUG=1\n")}, {reg("/app/.env", "DEBUG=1\nLOG=info\n")}},
			[]credentialPlace{{0, "layer 0 added it, and layer 1 rewrote the file and kept it"}}},
		{"env line changed", [][]tf{{reg("/app/.env", "DEBUG=1\n")}, {reg("/app/.env", "DEBUG=0\n")}},
			[]credentialPlace{{1, ""}, {0, "layer 1 deleted or replaced it, but it is still readable in layer 0"}}},
		{"kind changed", [][]tf{{reg("/k.pem", testKey)}, {reg("/k.pem", testKey+"# note\n")},
			{reg("/k.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")}},
			[]credentialPlace{{0, "layer 2 deleted or replaced it, but it is still readable in layer 0"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, _ := runRules(t, config(nil), layersOf(t, tc.layers)...)
			got := credentialPlaces(t, fs)
			require.Equal(t, tc.want, got)
			for _, f := range fs {
				require.NotContains(t, f.Message, "aws_secret_access_key = ")
			}
		})
	}
}

func TestContainsLines(t *testing.T) {
	tests := []struct {
		name      string
		text, sub string
		want      bool
	}{
		{"same", "a\nb\n", "a\nb\n", true},
		{"appended", "a\nb\nc\n", "a\nb\n", true},
		{"reordered", "b\na\n", "a\nb", true},
		{"blank lines ignored", "a\n", "\na\n\r\n", true},
		{"CRLF", "a\r\nb\r\n", "a\nb\n", true},
		{"line changed", "a\nB\n", "a\nb\n", false},
		{"line prefix only", "ab\n", "a\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, containsLines([]byte(tc.text), []byte(tc.sub)))
		})
	}
}

func TestIM012DeletedGitDirectory(t *testing.T) {
	git := []tf{dirEntry("/app", 0o755), dirEntry("/app/.git", 0o755),
		reg("/app/.git/config", "[core]\n"), reg("/app/main.go", "package main\n")}
	tests := []struct {
		name   string
		layers [][]tf
		want   []credentialPlace
	}{
		{"whiteout", [][]tf{git, {reg("/app/.wh..git", "")}},
			[]credentialPlace{{0, "layer 1 deleted it, but it is still readable in layer 0"}}},
		{"opaque parent", [][]tf{git, {dirEntry("/app", 0o755), reg("/app/.wh..wh..opq", ""),
			reg("/app/main.go", "package main\n")}},
			[]credentialPlace{{0, "layer 1 deleted it, but it is still readable in layer 0"}}},
		{"added again", [][]tf{git, {reg("/app/.wh..git", "")}, {dirEntry("/app/.git", 0o755)}},
			[]credentialPlace{{2, ""}}},
		{"package directory", [][]tf{{dirEntry("/usr/lib/node_modules/x/.git", 0o755)},
			{reg("/usr/lib/node_modules/x/.wh..git", "")}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, _ := runRules(t, config(nil), layersOf(t, tc.layers)...)
			require.Equal(t, tc.want, credentialPlaces(t, fs))
		})
	}
}

// layersOf builds one layer from each list of files.
func layersOf(t *testing.T, files [][]tf) []inimage.Layer {
	t.Helper()
	var layers []inimage.Layer
	for _, fs := range files {
		layers = append(layers, layerOf(t, fs...))
	}
	return layers
}
