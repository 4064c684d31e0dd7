package dockerfile

import (
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParserTraps covers inputs that other linters misread. Each case
// lists the rules expected on each line; rules not listed must not fire
// apart from the always-present base image and health check notes.
func TestParserTraps(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string][]int
	}{
		{
			name: "copy heredoc with quoted word",
			src:  "FROM alpine:3.22\nCOPY <<-\\EOT /etc/motd\n\tcurl https://x | sh\n\tEOT\nUSER 1000\n",
			want: map[string][]int{"DF000": nil, "DF007": nil, "DF001": nil},
		},
		{
			name: "heredoc last line without newline",
			src:  "FROM alpine:3.22\nUSER 1000\nRUN <<EOF\napk add curl\nEOF",
			want: map[string][]int{"DF000": nil, "DF011": {4}},
		},
		{
			name: "instruction after heredoc terminator",
			src:  "FROM alpine:3.22\nRUN <<EOF\napk add curl\nEOF\nUSER 0\n",
			want: map[string][]int{"DF011": {3}, "DF002": {5}},
		},
		{
			name: "heredoc on continued line",
			src:  "FROM alpine:3.22\nRUN \\\n  <<EOF\napk add curl\nEOF\nUSER 1000\n",
			want: map[string][]int{"DF000": nil, "DF011": {4}, "DF001": nil},
		},
		{
			name: "crlf heredoc terminators",
			src:  "FROM alpine:3.22\r\nRUN <<EOF\r\napk add curl\r\nEOF\r\nUSER 1000\r\n",
			want: map[string][]int{"DF000": nil, "DF011": {3}, "DF001": nil, "DF036": nil},
		},
		{
			name: "escape directive before comments",
			src:  "# escape=`\nFROM alpine:3.22\nRUN apk add `\n  curl\nUSER 1000\n",
			want: map[string][]int{"DF011": {3}, "DF001": nil},
		},
		{
			name: "escape directive after a comment is a comment",
			src:  "# hello\n# escape=`\nFROM alpine:3.22\nRUN apk add \\\n  curl\nUSER 1000\n",
			want: map[string][]int{"DF011": {4}, "DF001": nil},
		},
		{
			name: "stray backtick without directive",
			src:  "FROM alpine:3.22\nRUN echo a `\nUSER 0\n",
			want: map[string][]int{"DF002": {3}},
		},
		{
			name: "powershell stage",
			src:  "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN curl https://x | sh; apk add x\n",
			want: map[string][]int{"DF007": nil, "DF011": nil, "DF030": nil, "DF036": nil},
		},
		{
			name: "comment line inside continuation is dropped",
			src:  "FROM alpine:3.22\nRUN apk add \\\n# --no-cache \\\n  curl\n",
			want: map[string][]int{"DF011": {2}},
		},
		{
			name: "comment inside continuation hides nothing",
			src:  "FROM alpine:3.22\nRUN apk add --no-cache \\\n  # curl https://x | sh\n  curl\n",
			want: map[string][]int{"DF011": nil, "DF007": nil},
		},
		{
			name: "newer mount keys",
			src:  "FROM alpine:3.22\nRUN --mount=type=secret,id=t,env=TOKEN,required=true apk add curl\n",
			want: map[string][]int{"DF000": nil, "DF035": nil, "DF011": {2}},
		},
		{
			name: "unknown mount key",
			src:  "FROM alpine:3.22\nRUN --mount=type=secret,id=t,bogus=1 apk add curl\n",
			want: map[string][]int{"DF000": nil, "DF035": {2}, "DF011": {2}},
		},
		{
			name: "labs copy exclude",
			src:  "# syntax=docker/dockerfile:1-labs\nFROM alpine:3.22\nCOPY --exclude=*.md . /app\nUSER 0\n",
			want: map[string][]int{"DF000": nil, "DF002": {4}},
		},
		{
			name: "unknown flag",
			src:  "FROM alpine:3.22\nCOPY --frobnicate a /a\nUSER 0\n",
			want: map[string][]int{"DF000": nil, "DF035": {2}, "DF002": {3}},
		},
		{
			name: "unknown instruction from custom frontend",
			src:  "# syntax=example.com/frontend:1\nFROM alpine:3.22\nFROBNICATE everything\nUSER root\n",
			want: map[string][]int{"DF000": nil, "DF035": {3}, "DF002": {4}},
		},
		{
			name: "misspelt instruction without syntax directive",
			src:  "FORM alpine:3.22\nFROM alpine:3.22\nUSER 0\n",
			want: map[string][]int{"DF000": {1}, "DF035": nil, "DF002": {3}},
		},
		{
			name: "legacy env and lower-case keywords",
			src:  "from debian:12\nenv DB_PASSWORD hunter2 and more\nuser root\n",
			want: map[string][]int{"DF010": {2}, "DF002": {3}},
		},
		{
			name: "one bad instruction does not hide the rest",
			src:  "FROM debian:12\nHEALTHCHECK CONNECT TCP 7000\nUSER root\n",
			want: map[string][]int{"DF000": {2}, "DF002": {3}},
		},
		{
			name: "instruction before FROM",
			src:  "CMD [\"a\"]\nCMD [\"b\"]\nFROM debian:12\nUSER 0\n",
			want: map[string][]int{"DF000": {1}, "DF002": {4}},
		},
		{
			name: "exec form sh -c",
			src:  "FROM alpine:3.22\nRUN [\"sh\", \"-c\", \"apk add curl\"]\n",
			want: map[string][]int{"DF011": {2}},
		},
		{
			name: "apk behind set and sh -c",
			src:  "FROM alpine:3.22\nRUN set -eux; sh -c 'apk add curl'\n",
			want: map[string][]int{"DF011": {2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := analyze(t, tt.src, runOptions{})
			for id, lines := range tt.want {
				if diff := cmp.Diff(lines, ruleLines(fs, id)); diff != "" {
					t.Errorf("%s lines (-want +got):\n%s", id, diff)
				}
			}
			if slices.Contains(ids(fs), "DF036") && tt.want["DF036"] == nil {
				if _, listed := tt.want["DF036"]; listed {
					t.Errorf("unexpected shell syntax error: %v", fs)
				}
			}
		})
	}
}

func TestBadInputs(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string // expected DF000 message prefix or problem
	}{
		{"empty", "", "BuildKit rejects the file: file with no instructions"},
		{"only comments", "# a\n# b\n", "BuildKit rejects the file: file with no instructions"},
		{"env without value", "FROM a\nENV PATH\n", "BuildKit rejects the file: ENV must have two arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := analyze(t, tt.data, runOptions{})
			if len(fs) != 1 || fs[0].RuleID != "DF000" || !strings.HasPrefix(fs[0].Message, tt.want) || fs[0].Location.StartLine < 1 {
				t.Fatalf("got %v, want one DF000 starting %q", fs, tt.want)
			}
		})
	}
}

// TestInvalidBytesWriteNothing guards against BuildKit's lexer printing to
// standard error on invalid UTF-8 and NUL bytes.
func TestInvalidBytesWriteNothing(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	analyze(t, "FROM a\nRUN <<\xff\xff\nx\n\xff\xff\nARG V=\x80\x00$X\nFROM b:$V\n", runOptions{})
	os.Stderr = saved
	w.Close()
	out, _ := io.ReadAll(r)
	if len(out) > 0 {
		t.Errorf("analysis wrote to standard error: %q", out)
	}
}

// TestRejectedInputIsRedacted checks that DF000 and DF035, which quote the
// input BuildKit rejects, never print a secret from it.
func TestRejectedInputIsRedacted(t *testing.T) {
	const value = "Zq8vL2pW9xK4mT7aaQ"
	token := "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
	srcs := []string{
		"FROM alpine:3.22\nDB_PASSWORD=" + value + "\n" + token + "\nUSER 1\n",
		"# syntax=example.com/x:1\nFROM alpine:3.22\nDB_PASSWORD=" + value + "\n" + token + "\n",
		"FROM alpine:3.22\nRUN --mount=type=secret,id=x,token=" + value + " true\n",
		"FROM alpine:3.22\nHEALTHCHECK --interval=" + value + " CMD true\n",
		"FROM alpine:3.22\nENV PASSWORD\n",
	}
	for _, src := range srcs {
		for _, f := range analyze(t, src, runOptions{}) {
			if strings.Contains(f.Message, value) || strings.Contains(f.Message, token) {
				t.Errorf("%s prints the secret: %s", f.RuleID, f.Message)
			}
		}
	}
}
