package image

import (
	"bytes"
	"os"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	inimage "github.com/dockward/dockward/internal/input/image"
)

// FuzzAccounts runs the account rules over arbitrary /etc/passwd,
// /etc/group and /etc/shadow content. Malformed lines must become notes.
func FuzzAccounts(f *testing.F) {
	seed, err := os.ReadFile("testdata/passwd")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, "app")
	f.Add([]byte("::::::\n:\n"), "0:x")
	f.Fuzz(func(t *testing.T, data []byte, user string) {
		tree, _, err := inimage.Read(t.Context(), []inimage.Layer{layerOf(t, reg(passwdPath, string(data)),
			reg(groupPath, string(data)), reg(shadowPath, string(data)))}, inimage.Options{Request: Request()})
		if err != nil {
			t.Fatal(err)
		}
		defer tree.Close()
		cfg := &v1.ConfigFile{Config: v1.Config{User: user}}
		Run(&Input{Image: "fuzz", Config: cfg, Tree: tree})
	})
}

// FuzzHistory runs the history rules over arbitrary created_by lines.
func FuzzHistory(f *testing.F) {
	seed, err := os.ReadFile("testdata/history.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range strings.Split(string(seed), "\n") {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		h := parseCreatedBy(line)
		if strings.TrimSpace(line) == "" && h.instruction != "" {
			t.Fatalf("instruction %q from a blank line", h.instruction)
		}
		cfg := &v1.ConfigFile{History: []v1.History{{CreatedBy: line}}}
		tree, _, err := inimage.Read(t.Context(), nil, inimage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer tree.Close()
		fs, _ := Run(&Input{Image: "fuzz", Config: cfg, Tree: tree})
		for _, f := range fs {
			if f.RuleID == im004.ID && bytes.Contains([]byte(f.Message), []byte("Hunter2-prod-9f3kQ")) {
				t.Fatalf("unredacted secret in %q", f.Message)
			}
		}
	})
}
