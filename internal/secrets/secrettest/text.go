package secrettest

import (
	"fmt"
	"strings"
)

var (
	words = []string{"request", "response", "user", "config", "server", "client", "handler",
		"error", "value", "result", "buffer", "stream", "context", "timeout", "session", "cache",
		"index", "record", "message", "payload", "status", "header", "token", "password", "secret",
		"key", "account", "service", "deploy", "cluster", "node", "image", "layer", "volume"}
	levels = []string{"INFO", "DEBUG", "WARN", "ERROR"}
	hosts  = []string{"api.internal.test", "db.internal.test", "cache.internal.test", "example.org"}
)

// Text returns n bytes of secret-free text like that of a repository or
// an image: Go and Python source, YAML and INI configuration, and
// application logs. It contains the words (password, token, secret, URLs)
// that make detectors' keywords fire.
func (g *Generator) Text(n int) []byte {
	var b strings.Builder
	b.Grow(n + 4096)
	for b.Len() < n {
		switch g.r.IntN(4) {
		case 0:
			g.goSource(&b)
		case 1:
			g.pythonSource(&b)
		case 2:
			g.config(&b)
		default:
			g.logLines(&b)
		}
	}
	return []byte(b.String()[:n])
}

func (g *Generator) word() string { return words[g.r.IntN(len(words))] }

func (g *Generator) goSource(b *strings.Builder) {
	name := g.word()
	fmt.Fprintf(b, "// %s%s handles the %s of a %s.\nfunc (s *Server) handle%s(ctx context.Context, req *%sRequest) (*%sResponse, error) {\n",
		strings.ToUpper(name[:1]), name[1:], g.word(), g.word(), strings.ToUpper(name[:1])+name[1:], name, name)
	for range 3 + g.r.IntN(8) {
		fmt.Fprintf(b, "\tif err := s.%s.%s(ctx, req.%s); err != nil {\n\t\treturn nil, fmt.Errorf(\"%s %s: %%w\", err)\n\t}\n",
			g.word(), g.word(), strings.ToUpper(g.word()[:1]), g.word(), g.word())
	}
	fmt.Fprintf(b, "\ttoken := s.tokens.Lookup(req.Session)\n\treturn &%sResponse{Status: %d, Token: token}, nil\n}\n\n",
		name, 200+g.r.IntN(300))
}

func (g *Generator) pythonSource(b *strings.Builder) {
	fmt.Fprintf(b, "def %s_%s(self, %s, password=None):\n", g.word(), g.word(), g.word())
	fmt.Fprintf(b, "    \"\"\"Return the %s for the %s.\"\"\"\n", g.word(), g.word())
	for range 2 + g.r.IntN(6) {
		fmt.Fprintf(b, "    %s = self.%s.get(%q, %d)\n", g.word(), g.word(), g.word(), g.r.IntN(1000))
	}
	fmt.Fprintf(b, "    password = password or os.environ.get(\"DB_PASSWORD\")\n    return requests.get(\"https://%s/v1/%s\", timeout=%d)\n\n",
		hosts[g.r.IntN(len(hosts))], g.word(), g.r.IntN(60))
}

func (g *Generator) config(b *strings.Builder) {
	fmt.Fprintf(b, "%s:\n  host: %s\n  port: %d\n  password_file: /run/secrets/%s\n  token: ${%s_TOKEN}\n  url: https://%s/%s\n  replicas: %d\n",
		g.word(), hosts[g.r.IntN(len(hosts))], 1000+g.r.IntN(9000), g.word(), strings.ToUpper(g.word()),
		hosts[g.r.IntN(len(hosts))], g.word(), g.r.IntN(10))
	fmt.Fprintf(b, "[%s]\nenabled = true\nsecret_name = %s-tls\ntimeout = %ds\n\n", g.word(), g.word(), g.r.IntN(120))
}

func (g *Generator) logLines(b *strings.Builder) {
	for range 5 + g.r.IntN(20) {
		fmt.Fprintf(b, "2024-05-%02dT%02d:%02d:%02d.%03dZ %s [%s] %s %s completed in %dms status=%d user_id=%d\n",
			1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000),
			levels[g.r.IntN(len(levels))], g.word(), g.word(), g.word(), g.r.IntN(5000), 200+g.r.IntN(300), g.r.IntN(100000))
	}
}
