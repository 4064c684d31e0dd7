package runtime

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseEnvFileDockerSyntax(t *testing.T) {
	data := "\uFEFF# comment\n\nAPP_ENV=prod\n  DB_PASSWORD=s3cr3t value \nHOME_DIR\nEMPTY=\n"

	vars, err := ParseEnvFile("app.env", []byte(data), EnvFileDocker)
	require.NoError(t, err)

	require.Len(t, vars, 4)
	require.Equal(t, EnvVar{Name: "APP_ENV", Value: "prod", Literal: true,
		Pos: Pos{Path: "app.env", Line: 3, Column: 1}}, vars[0])
	require.Equal(t, "s3cr3t value ", vars[1].Value, "trailing spaces are part of the value")
	require.Equal(t, 4, vars[1].Pos.Line)
	require.Equal(t, EnvVar{Name: "HOME_DIR", Unknown: true, Pos: Pos{Path: "app.env", Line: 5, Column: 1}},
		vars[2], "a name alone takes the caller's value, which is unknown")
	require.True(t, vars[3].Literal)
	require.Empty(t, vars[3].Value)
}

func TestParseEnvFileDockerInvalid(t *testing.T) {
	_, err := ParseEnvFile("app.env", []byte("BAD NAME=1\n"), EnvFileDocker)
	require.ErrorContains(t, err, "contains whitespaces")
}

func TestParseEnvFileComposeSyntax(t *testing.T) {
	data := "# c\nexport TOKEN=\"abc def\"\nURL=http://${HOST}/x\nQUOTED='${KEEP}'\nPASS\nTOKEN=second\n"

	vars, err := ParseEnvFile("app.env", []byte(data), EnvFileCompose)
	require.NoError(t, err)

	got := map[string]EnvVar{}
	for _, v := range vars {
		got[v.Name] = v
	}
	require.Equal(t, "second", got["TOKEN"].Value, "a later line overrides")
	require.Equal(t, 6, got["TOKEN"].Pos.Line)
	require.True(t, got["URL"].Unknown, "interpolation needs the caller's environment")
	require.Equal(t, "${KEEP}", got["QUOTED"].Value, "single quotes are literal")
	require.True(t, got["PASS"].Unknown)
	require.Equal(t, 5, got["PASS"].Pos.Line)
}

// mapReader serves env files from a map, with paths outside it reported
// as outside the tree when they start with "/".
func mapReader(files map[string]string) EnvFileReader {
	return func(name string) ([]byte, string, error) {
		if strings.HasPrefix(name, "/") {
			return nil, "", ErrOutsideTree
		}
		data, ok := files[name]
		if !ok {
			return nil, "", fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
		}
		return []byte(data), "proj/" + name, nil
	}
}

func TestLoadEnvFilesPrecedence(t *testing.T) {
	c := parseOne(t, "docker run --env-file a.env --env-file b.env -e SHARED=flag img:1")
	LoadEnvFiles(c, mapReader(map[string]string{
		"a.env": "SHARED=a\nONLY_A=1\nBOTH=a\n",
		"b.env": "BOTH=b\n",
	}))

	got := map[string]EnvVar{}
	for _, v := range c.Env {
		_, dup := got[v.Name]
		require.False(t, dup, "variable %s listed twice", v.Name)
		got[v.Name] = v
	}
	require.Equal(t, "flag", got["SHARED"].Value, "-e overrides env files")
	require.Equal(t, "run.sh", got["SHARED"].Pos.Path)
	require.Equal(t, "b", got["BOTH"].Value, "a later file overrides an earlier one")
	require.Equal(t, Pos{Path: "proj/a.env", Line: 2, Column: 1}, got["ONLY_A"].Pos)
	require.Empty(t, c.Notes)
}

func TestLoadEnvFilesNotes(t *testing.T) {
	tests := []struct {
		name string
		file EnvFile
		read EnvFileReader
		note string
	}{
		{"missing", EnvFile{Path: "nope.env", Required: true}, mapReader(nil), "does not exist"},
		{"missing but optional", EnvFile{Path: "nope.env"}, mapReader(nil), ""},
		{"outside the tree", EnvFile{Path: "/etc/app.env", Required: true}, mapReader(nil),
			"outside the scanned tree"},
		{"no tree", EnvFile{Path: "a.env", Required: true}, nil, "input has no directory"},
		{"unresolved path", EnvFile{Path: "$ENV_FILE", Unknown: true, Required: true}, mapReader(nil),
			"cannot be resolved"},
		{"invalid", EnvFile{Path: "bad.env", Required: true},
			mapReader(map[string]string{"bad.env": "A B=1\n"}), "invalid env file bad.env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Container{EnvFiles: []EnvFile{tt.file}}

			LoadEnvFiles(c, tt.read)

			require.Empty(t, c.Env)
			if tt.note == "" {
				require.Empty(t, c.Notes)
				return
			}
			require.Len(t, c.Notes, 1)
			require.Contains(t, c.Notes[0].Message, tt.note)
		})
	}
}
