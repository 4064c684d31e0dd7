package dockerfile

import (
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/rules/shellfetch"
)

var df007 = &rule.Rule{
	ID: "DF007", Slug: "remote-script-piped-to-shell", Severity: finding.High, Kind: rule.KindDockerfile,
	Title: "Remote script piped to a shell",
	Description: "`curl … | sh` runs whatever the server returns at build time, with no integrity " +
		"check: a compromised or hijacked server, or a truncated download, changes what runs " +
		"inside the image. The same holds for `sh -c \"$(curl …)\"`, `bash <(curl …)` and, in " +
		"PowerShell stages, `iwr URL | iex` and `iex ((New-Object Net.WebClient).DownloadString(URL))`.",
	Fix: "Download the script to a file, verify its checksum or signature, then run it: " +
		"`curl -fsSLo install.sh URL && echo \"<sha256>  install.sh\" | sha256sum -c - && sh install.sh`.",
	Bad:  "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh",
	Good: "FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://example.com/install.sh \\\n && echo \"3b1f...  /tmp/i.sh\" | sha256sum -c - \\\n && sh /tmp/i.sh",
}

// downloaders are the commands that fetch a URL.
var downloaders = shellfetch.Downloaders

// PowerShell downloads a script with one of these and runs it with iex.
var (
	psDownload = regexp.MustCompile(`(?i)\b(iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget)\b|\.download(string|data)\s*\(`)
	psExecute  = regexp.MustCompile(`(?i)\|\s*(iex|invoke-expression)\b|\b(iex|invoke-expression)\s*[(\$]|&\s*\(\s*\[scriptblock\]::create`)
)

// isPowerShell reports whether a shell is PowerShell.
func isPowerShell(sh []string) bool {
	if len(sh) == 0 {
		return false
	}
	name := strings.ToLower(sh[0])
	return strings.Contains(name, "powershell") || strings.Contains(name, "pwsh")
}

func checkRemoteScriptPipe(c *Context) {
	c.instructionsOf("RUN", func(in *dockerfile.Instruction) {
		if isPowerShell(in.Shell) {
			text := in.Original(c.File)
			if psDownload.MatchString(text) && psExecute.MatchString(text) {
				c.report(df007, in, "PowerShell downloads a script and runs it with Invoke-Expression, unverified")
			}
			return
		}
		seen := map[int]bool{}
		for _, s := range in.Scripts {
			for _, m := range shellfetch.Find(s) {
				if seen[m.Line] {
					continue
				}
				seen[m.Line] = true
				if m.Kind == shellfetch.Pipe {
					c.reportAt(df007, in, m.Line, "%s output is piped to %s, which runs the downloaded script unverified", m.Downloader, m.Interpreter)
				} else {
					c.reportAt(df007, in, m.Line, "%s runs a script downloaded by a command substitution, unverified", m.Interpreter)
				}
			}
		}
	})
}
