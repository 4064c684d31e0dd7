package image

import (
	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/rule"
)

var im010 = &rule.Rule{
	ID: "IM010", Slug: "image-attack-surface", Severity: finding.Info, Kind: rule.KindImage,
	Title: "Shells, package managers or network tools present",
	Description: "An inventory of the tools an attacker reaches for after getting code execution: " +
		"a shell to run commands, a package manager to install more, and network tools to " +
		"download payloads or move laterally. Minimal images (distroless, FROM scratch with a " +
		"static binary) ship none of them. Commands are found in the usual program directories, " +
		"following symbolic links such as busybox applets.",
	Fix: "Build the final stage from a minimal base (distroless, scratch, or a -slim image with " +
		"the tools removed) and copy only the application into it.",
	Bad:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCOPY app /app",
	Good: "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app",
	Limits: "Only commands in /bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin and /usr/local/sbin " +
		"are listed; interpreters such as python or perl are not.",
}

// toolGroups are the commands IM010 looks for, by kind.
var toolGroups = []struct {
	kind  string
	names []string
}{
	{"shells", []string{"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox"}},
	{"package managers", []string{"apt", "apt-get", "dpkg", "apk", "yum", "dnf", "microdnf", "rpm",
		"zypper", "pip", "pip3", "npm", "gem"}},
	{"network tools", []string{"curl", "wget", "nc", "netcat", "ncat", "socat", "telnet", "ssh", "scp",
		"sftp", "ftp", "nmap", "tcpdump"}},
}

func checkAttackSurface(r *result) {
	for _, g := range toolGroups {
		var found []string
		var first *inimage.Entry
		for _, name := range g.names {
			e, ok := findCommand(r.in.Tree, name)
			if !ok {
				continue
			}
			if first == nil {
				first = e
			}
			found = append(found, name)
		}
		if first == nil {
			continue
		}
		r.add(im010.New(r.entryLocation(first), "%s present: %s", g.kind, summarize(found, 12)))
	}
}
