package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// runCLI runs dockward with args and returns standard output, standard
// error and the exit status.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	root := NewRootCommand(strings.NewReader(""), &stdout, &stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	code := 0
	if err != nil {
		code = 2
		var ee *ExitError
		if ok := asExitError(err, &ee); ok {
			code = ee.Code
			if ee.Err != nil {
				stderr.WriteString(ee.Err.Error())
			}
		} else {
			stderr.WriteString(err.Error())
		}
	}
	return stdout.String(), stderr.String(), code
}

func asExitError(err error, target **ExitError) bool {
	ee, ok := err.(*ExitError)
	if ok {
		*target = ee
	}
	return ok
}

// secretParts returns the strings that must not appear in any output:
// the whole secret and each of its lines that is long enough to be
// recognisable on its own.
func secretParts(secret string) []string {
	parts := []string{secret}
	for _, l := range strings.Split(strings.ReplaceAll(secret, `\n`, "\n"), "\n") {
		if len(strings.TrimSpace(l)) >= 24 && !strings.HasPrefix(l, "-----") {
			parts = append(parts, strings.TrimSpace(l))
		}
	}
	return parts
}

func plantTree(t *testing.T, dir string, plants []secrettest.Plant) {
	t.Helper()
	for _, p := range plants {
		path := filepath.Join(dir, filepath.FromSlash(p.Path))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(p.Content), 0o644))
	}
}

func layerOf(t *testing.T, files map[string]string) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, content := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)),
			Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(content))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	data := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
	require.NoError(t, err)
	return l
}

// plantImage writes a docker save archive whose first layer holds every
// planted file, whose second layer deletes one of them, and whose config
// environment, labels and history hold more secrets.
func plantImage(t *testing.T, path string, plants []secrettest.Plant, extra map[string]string) {
	t.Helper()
	files := map[string]string{}
	for _, p := range plants {
		files["srv/"+p.Path] = p.Content
	}
	files["root/.deleted.env"] = "GITHUB_TOKEN=" + extra["deleted"] + "\n"
	img, err := mutate.AppendLayers(empty.Image, layerOf(t, files),
		layerOf(t, map[string]string{"root/.wh..deleted.env": ""}))
	require.NoError(t, err)
	cfg, err := img.ConfigFile()
	require.NoError(t, err)
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", "amd64"
	cfg.Config.Env = []string{"PATH=/usr/bin", "API_TOKEN=" + extra["env"]}
	cfg.Config.Labels = map[string]string{"deploy.password": extra["label"]}
	cfg.History = []v1.History{
		{CreatedBy: "/bin/sh -c #(nop) COPY dir:abc in /srv"},
		{CreatedBy: "RUN |1 NPM_TOKEN=" + extra["history"] + " /bin/sh -c npm ci && rm /root/.deleted.env"},
	}
	img, err = mutate.ConfigFile(img, cfg)
	require.NoError(t, err)
	require.NoError(t, tarball.WriteToFile(path, name.MustParseReference("planted:test"), img))
}

// TestSecretsOutputsNeverHoldSecrets scans a tree and an image full of
// planted secrets in every report format with --verbose, and fails if any
// output or log holds a full secret.
func TestSecretsOutputsNeverHoldSecrets(t *testing.T) {
	plants := secrettest.Plants(42)
	g := secrettest.NewGenerator(43)
	extra := map[string]string{
		"deleted": g.GitHubToken("ghp_"), "env": g.GitHubToken("ghp_"),
		"label": g.Password(), "history": g.GitHubToken("npm_"),
	}
	manifestToken, cmdPassword := g.GitHubToken("ghp_"), g.Password()
	extraFiles := []secrettest.Plant{
		{RuleID: "SE056", Secret: manifestToken, Path: "k8s/secret.yaml",
			Content: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ndata:\n  token: " +
				base64.StdEncoding.EncodeToString([]byte(manifestToken)) + "\n"},
		{RuleID: "SE057", Secret: cmdPassword, Path: "ops/create-secret.sh",
			Content: "#!/bin/sh\necho '" + cmdPassword + "' | docker secret create db_password -\n"},
	}
	dir := t.TempDir()
	tree := filepath.Join(dir, "project")
	plantTree(t, tree, append(slices.Clone(plants), extraFiles...))
	archive := filepath.Join(dir, "planted.tar")
	plantImage(t, archive, plants, extra)

	var secretsList []string
	for _, p := range plants {
		secretsList = append(secretsList, secretParts(p.Secret)...)
	}
	for _, v := range extra {
		secretsList = append(secretsList, v)
	}
	for _, p := range extraFiles {
		secretsList = append(secretsList, p.Secret, base64.StdEncoding.EncodeToString([]byte(p.Secret)))
	}

	runs := []struct {
		name  string
		args  []string
		image bool
	}{
		{"secrets tree", []string{"secrets", tree}, false},
		{"secrets image", []string{"secrets", "docker-archive:" + archive}, true},
		{"check tree", []string{"check", tree}, false},
		{"scan image", []string{"scan", "--scanners", "config,secret", "docker-archive:" + archive}, true},
	}
	for _, format := range []string{"table", "json", "sarif"} {
		for _, run := range runs {
			t.Run(format+" "+run.name, func(t *testing.T) {
				args := append([]string{"--verbose"}, run.args[0], "--format", format, "--color", "never")
				args = append(args, run.args[1:]...)
				stdout, stderr, code := runCLI(t, args...)
				require.Equal(t, 1, code, "stderr: %s", stderr)
				for _, s := range secretsList {
					require.NotContains(t, stdout, s)
					require.NotContains(t, stderr, s)
				}
				if format == "json" {
					requireEveryPlantFound(t, stdout, plants, run.image)
					if !run.image {
						requireEveryPlantFound(t, stdout, extraFiles, false)
					}
				}
			})
		}
	}
}

func TestSecretsImageDeletedFileNamesLayer(t *testing.T) {
	g := secrettest.NewGenerator(44)
	extra := map[string]string{"deleted": g.GitHubToken("ghp_"), "env": "x", "label": "y", "history": "z"}
	archive := filepath.Join(t.TempDir(), "img.tar")
	plantImage(t, archive, nil, extra)
	stdout, stderr, code := runCLI(t, "secrets", "--format", "json", "docker-archive:"+archive)
	require.Equal(t, 1, code, stderr)
	require.Contains(t, stdout, "/root/.deleted.env")
	require.Contains(t, stdout, "deleted or replaced in layer 1")
	require.NotContains(t, stdout, extra["deleted"])
}

func TestSecretsCleanTree(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("# hello\n"), 0o644))
	stdout, _, code := runCLI(t, "secrets", "--format", "json", dir)
	require.Equal(t, 0, code)
	require.Contains(t, stdout, `"findings": []`)
}

// requireEveryPlantFound checks a JSON report: each planted secret is
// reported by its detector's rule, or in an image by IM012 when the file
// is a known credential file, which names the detector instead.
func requireEveryPlantFound(t *testing.T, report string, plants []secrettest.Plant, image bool) {
	t.Helper()
	var rep finding.Report
	require.NoError(t, json.Unmarshal([]byte(report), &rep))
	found := map[string][]string{}
	for _, f := range rep.Findings {
		p := f.Location.Path
		if image {
			p = f.Location.ImagePath
		}
		found[p] = append(found[p], f.RuleID)
	}
	for _, p := range plants {
		where := p.Path
		if image {
			where = "/srv/" + p.Path
		}
		ids := found[where]
		if !image {
			for k, v := range found {
				if strings.HasSuffix(k, "/"+p.Path) {
					ids = v
				}
			}
		}
		ok := slices.Contains(ids, p.RuleID) || image && slices.Contains(ids, "IM012")
		require.True(t, ok, "planted %s in %s; found %v", p.RuleID, where, ids)
	}
	if image {
		ids := map[string]bool{}
		for _, f := range rep.Findings {
			ids[f.RuleID] = true
		}
		require.True(t, ids["IM003"], "config environment and label secrets")
		require.True(t, ids["IM004"], "history secret")
	}
}

func TestSecretsConfigAllowLists(t *testing.T) {
	g := secrettest.NewGenerator(45)
	allowed, reported, skipped := g.GitHubToken("ghp_"), g.GitHubToken("ghp_"), g.GitHubToken("ghp_")
	dir := t.TempDir()
	files := map[string]string{
		".dockward.yaml":       "version: 1\nsecrets:\n  allow: ['^" + allowed[:12] + "']\n  allow_paths: [samples/]\n",
		"app/a.env":            "GITHUB_TOKEN=" + allowed + "\nOTHER_TOKEN=" + reported + "\n",
		"samples/demo.env":     "GITHUB_TOKEN=" + skipped + "\n",
		"testdata/fixture.env": "GITHUB_TOKEN=" + skipped + "\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}

	stdout, stderr, code := runCLI(t, "secrets", "--format", "json", dir)
	require.Equal(t, 1, code, stderr)
	var rep finding.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Len(t, rep.Findings, 1, stdout)
	require.Equal(t, "SE010", rep.Findings[0].RuleID)
	require.True(t, strings.HasSuffix(rep.Findings[0].Location.Path, "app/a.env"))
	require.Equal(t, 2, rep.Findings[0].Location.StartLine)

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("version: 1\nsecrets:\n  allow: ['(']\n"), 0o644))
	_, stderr, code = runCLI(t, "secrets", "--config", bad, dir)
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "invalid allow pattern")
}

// TestSecretsStructuralLines checks that the secrets command, where the
// Dockerfile and runtime rules of check do not run, reports the secrets
// on ARG, ENV and environment lines itself.
func TestSecretsStructuralLines(t *testing.T) {
	gen := secrettest.NewGenerator(21)
	key := "AKIA" + gen.String("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	secret := gen.String("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789", 40)
	dir := t.TempDir()
	dockerfile := "FROM debian:12\nARG AWS_ACCESS_KEY_ID=" + key + "\nENV AWS_SECRET_ACCESS_KEY=" + secret + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644))
	compose := "services:\n  app:\n    image: app\n    environment:\n      AWS_ACCESS_KEY_ID: " + key + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644))

	stdout, stderr, code := runCLI(t, "secrets", "--format", "json", dir)
	require.Equal(t, 1, code, stderr)
	require.NotContains(t, stdout, secret)
	var rep finding.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	lines := map[string][]int{}
	for _, f := range rep.Findings {
		lines[filepath.Base(f.Location.Path)] = append(lines[filepath.Base(f.Location.Path)], f.Location.StartLine)
	}
	require.Contains(t, lines["Dockerfile"], 2, "ARG line: %v", lines)
	require.Contains(t, lines["Dockerfile"], 3, "ENV line: %v", lines)
	require.Contains(t, lines["compose.yaml"], 5, "environment line: %v", lines)

	// check reports the same lines once, through DF010 and RT031.
	stdout, _, _ = runCLI(t, "check", "--format", "json", "--fail-on", "none", dir)
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.RuleID, "SE") {
			require.NotContains(t, []int{2, 3}, f.Location.StartLine, "%s %s", f.RuleID, f.Location.Path)
		}
	}
}

func TestSecretsNamedTextFileHasNoProblem(t *testing.T) {
	p := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(p, []byte("nothing to see\n"), 0o644))
	stdout, stderr, code := runCLI(t, "secrets", "--format", "json", p)
	require.Equal(t, 0, code, stderr)
	var rep finding.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Empty(t, rep.Problems, "the secrets command searches text files for secrets alone by design")
}
