package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/testenv"
)

func auditReport(t *testing.T, stdout string) finding.Report {
	t.Helper()
	var rep finding.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	return rep
}

func reportIDs(rep finding.Report) map[string]bool {
	ids := map[string]bool{}
	for _, f := range rep.Findings {
		ids[f.RuleID] = true
	}
	return ids
}

func TestAuditScriptFile(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "deploy")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\ndocker run --privileged --frob app:1\n"), 0o644))

	stdout, _, code := run(t, "", "audit", "--format", "json", script)

	require.Equal(t, 1, code)
	rep := auditReport(t, stdout)
	require.Equal(t, "audit", rep.Command)
	require.True(t, reportIDs(rep)["RT002"])
	require.Len(t, rep.Problems, 1, "the unknown flag is reported")
	require.Contains(t, rep.Problems[0].Reason, "--frob")
}

func TestAuditInspectFromStdin(t *testing.T) {
	inspect := `[{"Name": "/web", "Config": {"Image": "nginx:1.27", "User": "0"},
  "HostConfig": {"Privileged": true, "NetworkMode": "host"}}]`

	stdout, _, code := run(t, inspect, "audit", "--type", "inspect", "--format", "json", "-")

	require.Equal(t, 1, code)
	rep := auditReport(t, stdout)
	ids := reportIDs(rep)
	require.True(t, ids["RT001"])
	require.True(t, ids["RT002"])
	require.True(t, ids["RT017"])
	for _, f := range rep.Findings {
		if f.RuleID == "RT002" {
			require.Equal(t, 2, f.Location.StartLine, "findings point at the key in the JSON")
		}
	}
}

func TestAuditInvalidInspectJSON(t *testing.T) {
	stdout, _, code := run(t, "[\n{\"Name\": \n", "audit", "--type", "inspect", "--format", "json", "-")

	require.Equal(t, 0, code)
	rep := auditReport(t, stdout)
	require.Len(t, rep.Problems, 1)
	require.Contains(t, rep.Problems[0].Reason, "invalid docker inspect JSON")
}

func TestAuditUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"audit"}, "name a FILE"},
		{"docker with file", []string{"audit", "--docker", "x.sh"}, "takes no FILE"},
		{"unknown type", []string{"audit", "--type", "dockerfile", "-"}, "unknown input type"},
		{"stdin without type", []string{"audit", "-"}, "needs --type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := run(t, "", tt.args...)
			require.Equal(t, 2, code)
			require.Contains(t, stderr, tt.want)
		})
	}
}

func TestAuditUnreachableEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "none.sock"))

	_, stderr, code := run(t, "", "audit", "--docker")

	require.Equal(t, 2, code)
	require.Contains(t, stderr, "docker engine unreachable")
	require.Contains(t, stderr, "DOCKER_HOST")
}

func TestIntegrationAuditLiveContainers(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	id := strings.TrimSpace(d.Start(t, testenv.RunOptions{Args: []string{"--cap-add", "SYS_ADMIN", "--pids-limit", "20"}},
		image, "sleep", "300"))

	t.Run("by id", func(t *testing.T) {
		stdout, _, code := run(t, "", "audit", "container", "--format", "json", id)
		require.Equal(t, 1, code)
		rep := auditReport(t, stdout)
		ids := reportIDs(rep)
		require.True(t, ids["RT004"])
		require.False(t, ids["RT016"])
		require.True(t, strings.HasPrefix(rep.Findings[0].Location.Path, "container/"))
	})
	t.Run("every running container", func(t *testing.T) {
		stdout, _, _ := run(t, "", "audit", "--docker", "--format", "json")
		rep := auditReport(t, stdout)
		found := false
		for _, f := range rep.Findings {
			if f.RuleID == "RT004" && strings.Contains(f.Message, "SYS_ADMIN") {
				found = true
			}
		}
		require.True(t, found)
	})
	t.Run("missing container", func(t *testing.T) {
		_, stderr, code := run(t, "", "audit", "container", "dockward-no-such-container")
		require.Equal(t, 2, code)
		require.Contains(t, stderr, "dockward-no-such-container")
	})
}

func TestIntegrationAuditLocalImages(t *testing.T) {
	testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "run.sh")
	require.NoError(t, os.WriteFile(script, []byte("docker run "+image+"\n"), 0o644))

	find := func(stdout string) string {
		for _, f := range auditReport(t, stdout).Findings {
			if f.RuleID == "RT001" {
				return f.Message
			}
		}
		return ""
	}
	stdout, _, _ := run(t, "", "audit", "--format", "json", script)
	require.Contains(t, find(stdout), "unless the image sets USER")

	stdout, _, _ = run(t, "", "audit", "--local-images", "--format", "json", script)
	require.Contains(t, find(stdout), "the image "+image+" sets no USER")
}

func TestAuditDockerfilePointsToCheck(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	other := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(df, []byte("FROM alpine:3.20\n"), 0o644))
	require.NoError(t, os.WriteFile(other, []byte("nothing here\n"), 0o644))

	stdout, _, _ := run(t, "", "audit", "--format", "json", df, other)

	rep := auditReport(t, stdout)
	reasons := map[string]string{}
	for _, p := range rep.Problems {
		reasons[filepath.Base(p.Path)] = p.Reason
	}
	require.Contains(t, reasons["Dockerfile"], "dockward check")
	require.NotContains(t, reasons["Dockerfile"], "--type")
	require.NotContains(t, reasons["notes.txt"], "dockward check", "only Dockerfiles go to check")
}

func TestAuditHiddenSummaryNamesNoAdvisories(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "run.sh")
	require.NoError(t, os.WriteFile(script, []byte("docker run app:1\n"), 0o644))

	stdout, _, _ := run(t, "", "audit", "--severity", "critical", "--color", "never", script)

	require.Contains(t, stdout, "hidden below --severity")
	require.NotContains(t, stdout, "advisories")
}
