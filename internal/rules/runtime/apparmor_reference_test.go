package runtime

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
)

func TestAppArmorReference(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\ndocker run --security-opt apparmor=docker-nginx nginx:1.27\n" +
		"docker run --security-opt apparmor=missing-profile alpine:3.22\n"
	profile := "profile docker-nginx flags=(attach_disconnected) {\n  file,\n  mount,\n}\n"
	for name, content := range map[string]string{"deploy.sh": script, "apparmor/docker-nginx": profile} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	env := &engine.Env{Config: config.Default(), Root: root, RootDir: dir}
	f := &engine.File{Path: "deploy.sh", Rel: "deploy.sh", Data: []byte(script)}
	var got []string
	for _, a := range Analyzers() {
		if a.Wants(f) {
			for _, fd := range a.Analyze(context.Background(), f, env).Findings {
				got = append(got, fd.RuleID+" "+fd.Location.Path)
			}
		}
	}
	if !slices.Contains(got, "AA004 apparmor/docker-nginx") {
		t.Errorf("the referenced profile was not linted: %v", got)
	}
	if !slices.Contains(got, "RT010 deploy.sh") {
		t.Errorf("the undeclared profile name was not reported: %v", got)
	}
}
