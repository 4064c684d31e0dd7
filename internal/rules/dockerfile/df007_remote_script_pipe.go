package dockerfile

import (
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
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

var downloaders = map[string]bool{"curl": true, "wget": true, "fetch": true}

// interpreters run a program read from standard input when given no file.
var interpreters = map[string]bool{
	"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true,
	"python": true, "python3": true, "perl": true, "ruby": true, "node": true, "php": true,
}

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
			for _, p := range s.Pipelines() {
				if d, sh := pipedDownload(p); d != nil && !seen[p.Line] {
					seen[p.Line] = true
					c.reportAt(df007, in, p.Line, "%s output is piped to %s, which runs the downloaded script unverified", d.Name, sh.Name)
				}
			}
			for _, cmd := range s.Commands() {
				if interpreters[cmd.Name] && substitutesDownload(cmd) && !seen[cmd.Line] {
					seen[cmd.Line] = true
					c.reportAt(df007, in, cmd.Line, "%s runs a script downloaded by a command substitution, unverified", cmd.Name)
				}
			}
		}
	})
}

// pipedDownload finds a downloader on one side of a pipeline and an
// interpreter reading standard input on a later side.
func pipedDownload(p *dockerfile.Pipeline) (*dockerfile.Command, *dockerfile.Command) {
	for i, side := range p.Stages {
		for _, d := range side {
			if !downloaders[d.Name] {
				continue
			}
			for _, later := range p.Stages[i+1:] {
				for _, sh := range later {
					if interpreters[sh.Name] && readsStdin(sh) {
						return d, sh
					}
				}
			}
		}
	}
	return nil, nil
}

// readsStdin reports whether an interpreter takes its program from
// standard input: no script operand, or "-" or "-s".
func readsStdin(cmd *dockerfile.Command) bool {
	if cmd.HasArg("-c") {
		return false
	}
	ops := cmd.Operands()
	return len(ops) == 0 || ops[0] == "-" || cmd.HasArg("-s")
}

func substitutesDownload(cmd *dockerfile.Command) bool {
	for i, a := range cmd.Args {
		if cmd.Known[i] {
			continue
		}
		for d := range downloaders {
			if strings.Contains(a, "$("+d+" ") || strings.Contains(a, "<("+d+" ") ||
				strings.Contains(a, "`"+d+" ") {
				return true
			}
		}
	}
	return false
}
