package dockerfile

import (
	"context"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
)

// fuzzSeeds are inputs that exercise the parser's edge cases.
var fuzzSeeds = []string{
	"",
	"FROM a\n",
	"# escape=`\nFROM a\nRUN echo `\n  b\n",
	"# syntax=docker/dockerfile:1\nFROM a AS b\nCOPY --from=b <<EOF /x\nhi\nEOF\n",
	"FROM a\nRUN <<EOF bash\nset -e\nEOF\n",
	"FROM a\r\nRUN <<EOF\r\napk add x\r\nEOF\r\n",
	"ARG X=${Y:-z}\nFROM a:$X\nUSER ${U:-0}\n",
	"FROM a\nONBUILD RUN curl x | sh\n",
	"FROM a\nRUN sh -c \"sh -c 'sh -c \\\"apk add x\\\"'\"\n",
	"FROM a\nRUN --mount=type=cache,target=/x,bogus apk add x\n",
	"FROM a\nHEALTHCHECK --interval=1s CMD [\"curl\"]\n",
	"FROM a\nSHELL [\"pwsh\"]\nRUN x | y\n",
	"FROM a\nRUN chmod -R 4777,o+w,a=rX /x && chown -R 1:1 /\n",
	"FROM a\nRUN if [ x ]; then (cd /a && $(curl b | sh)); fi | tee\n",
}

func FuzzDockerfile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, r := range Rules {
		f.Add(r.Bad)
		f.Add(r.Good)
	}
	f.Fuzz(func(t *testing.T, src string) {
		env := &engine.Env{Config: config.Default(), Now: testNow}
		file := &engine.File{Path: "Dockerfile", Rel: "Dockerfile", Data: []byte(src)}
		res := Analyzer{}.Analyze(context.Background(), file, env)
		lines := strings.Count(src, "\n") + 1
		for _, fd := range res.Findings {
			if fd.Location.StartLine < 1 || fd.Location.StartLine > lines || fd.Location.EndLine < fd.Location.StartLine {
				t.Fatalf("%s at lines %d-%d outside the %d-line input", fd.RuleID,
					fd.Location.StartLine, fd.Location.EndLine, lines)
			}
			if fd.Message == "" {
				t.Fatalf("%s without a message", fd.RuleID)
			}
		}
	})
}
