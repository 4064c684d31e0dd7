package compose

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// defaultsFile uses every key that compose-go v2.16.2 gives a default
// value, in the short and the long syntax.
const defaultsFile = `name: defaults
services:
  short:
    build: ./app
    ports: ["8080:80", "127.0.0.1:53:53/udp"]
    secrets: [token]
    volumes: ["/srv:/srv", "data:/data"]
  long:
    image: app:1
    build: {dockerfile: Dockerfile.dev}
    ports: [{target: 80, published: "8081"}]
    secrets: [{source: token}]
    volumes: [{type: bind, source: /etc/app, target: /etc/app, bind: {propagation: rprivate}}]
    gpus: [{driver: nvidia}]
    deploy:
      resources:
        reservations:
          devices: [{capabilities: [gpu]}]
  set:
    image: app:1
    ports: [{target: 81, protocol: udp, mode: host}]
    secrets: [{source: token, target: /t}]
    volumes: [{type: bind, source: /x, target: /x, bind: {create_host_path: false}}]
    gpus: [{count: 1}]
secrets:
  token: {file: ./token.txt}
volumes:
  data: {}
`

// TestLoadProjectMatchesLoader checks that loadProject returns the
// project that compose-go's loader.LoadWithContext returns, for a file
// with every default value and for the corpus of real compose files when
// it is present. Each file loads with and without validation, as the
// reader loads a file that compose rejects.
func TestLoadProjectMatchesLoader(t *testing.T) {
	silenceLogrus()
	files := map[string][]byte{"defaults.yaml": []byte(defaultsFile)}
	corpus, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "..", "shared", "corpus", "compose"))
	require.NoError(t, err)
	names, _ := filepath.Glob(filepath.Join(corpus, "*.y*ml"))
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		files[filepath.Base(name)] = data
	}

	for name, data := range files {
		for _, skipValidation := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/skip validation %t", name, skipValidation), func(t *testing.T) {
				details := func() types.ConfigDetails {
					return types.ConfigDetails{
						WorkingDir:  corpus,
						ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(corpus, name), Content: data}},
						Environment: types.Mapping{"TAG": "1"},
					}
				}
				options := func(o *loader.Options) {
					o.SetProjectName("test", true)
					o.Profiles = []string{"*"}
					o.ResolvePaths = false
					o.SkipConsistencyCheck = true
					o.SkipResolveEnvironment = true
					o.SkipResolveLabels = true
					o.SkipValidation = skipValidation
				}

				want, wantErr := loader.LoadWithContext(context.Background(), details(), options)
				got, err := loadProject(context.Background(), details(), options)

				if wantErr != nil {
					// compose-go reports the first of several errors in
					// map order, so only the failure is compared.
					require.Error(t, err, "loader.LoadWithContext: %v", wantErr)
					return
				}
				require.NoError(t, err)
				// Compare unexported fields too, such as a secret's content.
				all := cmp.Exporter(func(reflect.Type) bool { return true })
				require.Empty(t, cmp.Diff(want, got, all))
			})
		}
	}
}

func TestLoadProjectSetsDefaults(t *testing.T) {
	details := types.ConfigDetails{
		WorkingDir:  "/project",
		ConfigFiles: []types.ConfigFile{{Filename: "/project/compose.yaml", Content: []byte(defaultsFile)}},
	}
	p, err := loadProject(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("test", true)
		o.ResolvePaths = false
	})
	require.NoError(t, err)

	short, long, set := p.Services["short"], p.Services["long"], p.Services["set"]
	require.Equal(t, "tcp", short.Ports[0].Protocol, "port protocol")
	require.Equal(t, "ingress", long.Ports[0].Mode, "port mode")
	require.Equal(t, "host", set.Ports[0].Mode, "a mode written in the file stays")
	require.Equal(t, ".", long.Build.Context, "build context")
	require.Equal(t, "/run/secrets/token", long.Secrets[0].Target, "secret target")
	require.True(t, bool(long.Volumes[0].Bind.CreateHostPath), "bind create_host_path")
	require.False(t, bool(set.Volumes[0].Bind.CreateHostPath), "create_host_path written in the file")
	require.Equal(t, types.DeviceCount(-1), long.Gpus[0].Count, "GPU count all")
	require.Equal(t, types.DeviceCount(1), set.Gpus[0].Count, "GPU count written in the file")
	devices := long.Deploy.Resources.Reservations.Devices
	require.Equal(t, types.DeviceCount(-1), devices[0].Count, "device count all")
	require.Equal(t, "test", p.Environment["COMPOSE_PROJECT_NAME"])
}

func TestLoadProjectDefaultError(t *testing.T) {
	text := "services:\n  a:\n    image: a:1\n    gpus: [all, nvidia]\n"
	details := func() types.ConfigDetails {
		return types.ConfigDetails{
			WorkingDir:  "/project",
			ConfigFiles: []types.ConfigFile{{Filename: "/project/compose.yaml", Content: []byte(text)}},
		}
	}
	options := func(o *loader.Options) {
		o.SetProjectName("test", true)
		o.SkipValidation = true
	}

	_, wantErr := loader.LoadWithContext(context.Background(), details(), options)
	_, err := loadProject(context.Background(), details(), options)

	require.Error(t, wantErr)
	require.EqualError(t, err, wantErr.Error())
	require.True(t, strings.Contains(err.Error(), "gpus"), err.Error())
}

func TestPruneToPatterns(t *testing.T) {
	patterns := newPatternTree([]tree.Path{"services.*.ports.*", "services.*.volumes.*.bind", "services.web.x"})
	model := map[string]any{
		"name": "p",
		"services": map[string]any{
			"web": map[string]any{
				"image": "a:1",
				"ports": []any{map[string]any{"target": 80}},
				"x":     "1",
			},
			"db": map[string]any{
				"volumes": []any{map[string]any{"type": "bind", "bind": map[string]any{}, "target": "/d"}},
				"deploy":  map[string]any{"replicas": 2},
			},
		},
	}

	view := pruneToPatterns(model, patterns)

	// Both web and * lead to web, so web stays whole.
	want := map[string]any{
		"services": map[string]any{
			"web": map[string]any{"image": "a:1", "ports": []any{map[string]any{"target": 80}}, "x": "1"},
			"db": map[string]any{
				"volumes": []any{map[string]any{"bind": map[string]any{}}},
			},
		},
	}
	require.Empty(t, cmp.Diff(want, view))
}

func TestWriteBackReplacedValues(t *testing.T) {
	patterns := newPatternTree([]tree.Path{"services.*.ports.*", "services.*.volumes.*.bind"})
	port := map[string]any{"target": 80}
	model := map[string]any{
		"services": map[string]any{
			"web": map[string]any{
				"image":   "a:1",
				"ports":   []any{port},
				"volumes": []any{map[string]any{"target": "/d", "bind": map[string]any{}}},
			},
		},
	}
	view := pruneToPatterns(model, patterns).(map[string]any)
	web := view["services"].(map[string]any)["web"].(map[string]any)
	web["ports"].([]any)[0] = "replaced port"
	web["volumes"].([]any)[0].(map[string]any)["bind"] = "replaced bind"

	writeBack(model, view, patterns)

	got := model["services"].(map[string]any)["web"].(map[string]any)
	require.Equal(t, []any{"replaced port"}, got["ports"])
	volume := got["volumes"].([]any)[0].(map[string]any)
	require.Equal(t, "replaced bind", volume["bind"])
	require.Equal(t, "/d", volume["target"], "keys outside the patterns stay")
	require.Equal(t, "a:1", got["image"])
}
