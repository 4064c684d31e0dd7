package apparmor

import (
	"testing"

	"github.com/dockward/dockward/internal/engine"
)

func TestAnalyzerWants(t *testing.T) {
	profile := "profile app flags=(attach_disconnected) {\n  /srv/** r,\n}\n"
	tests := []struct {
		name string
		path string
		data string
		want bool
	}{
		{"profile file", "apparmor/app", profile, true},
		{"home assistant add-on profile", "dnsmasq/apparmor.txt", profile, true},
		{"path-named profile", "usr.sbin.nginx", "/usr/sbin/nginx {\n  /srv/** r,\n}\n", true},
		{"go source with profile text", "rules_test.go", "const p = `" + profile + "`", false},
		{"go code", "x.conf", "\tprofile := func(a, b int) map[string]any {\n\treturn nil, nil\n}\n", false},
		{"nginx config", "nginx.conf", "location /api {\n  proxy_pass http://x;\n}\n", false},
		{"json", "p.json", `{"profile": {"a": 1, "b": 2}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyzer{}.Wants(&engine.File{Path: tt.path, Data: []byte(tt.data)})
			if got != tt.want {
				t.Errorf("Wants = %v, want %v", got, tt.want)
			}
		})
	}
}
