package image

import (
	"regexp"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/rules/shellfetch"
)

var im013 = &rule.Rule{
	ID: "IM013", Slug: "image-remote-fetch", Severity: finding.Medium, Kind: rule.KindImage,
	Title: "History shows a remote ADD or a remote script piped to a shell",
	Description: "The image history shows that a build step added a file straight from a URL, or " +
		"downloaded a script and ran it through a shell (`curl ... | sh`). Neither checks what " +
		"it got: whoever controls the server, the DNS or the network path at build time " +
		"controls what the image contains. The history's own text is checked; trailing " +
		"builder metadata such as `# buildkit` or `|force-mtime=10` is ignored. RUN commands " +
		"are parsed as shell programs, so text that is only printed or commented is not reported.",
	Fix: "Download with a pinned checksum instead: `ADD --checksum=sha256:... https://...` or " +
		"`curl -fsSLo file URL && echo \"SHA256  file\" | sha256sum -c -`, then run the checked file.",
	Bad:  "RUN curl -fsSL https://example.com/install.sh | sh",
	Good: "ADD --checksum=sha256:4f1c... https://example.com/install.sh /tmp/install.sh\nRUN sh /tmp/install.sh",
	Limits: "Classic builders record a remote ADD only as a file digest, which cannot be told " +
		"apart from a local file. A downloaded script run in a later step is not linked to its download. " +
		"Commands that are not POSIX shell, such as PowerShell in Windows images, or that fail to " +
		"parse, are not checked.",
}

var (
	remoteAdd   = regexp.MustCompile(`^(--[a-z-]+(=\S+)?\s+)*(https?|git|ssh)://\S+`)
	checksumArg = regexp.MustCompile(`--checksum=`)
)

func checkRemoteFetch(r *result) {
	for _, h := range readHistory(r.in.Config) {
		switch h.instruction {
		case "ADD":
			if remoteAdd.MatchString(h.args) && !checksumArg.MatchString(h.args) {
				r.add(im013.New(r.historyLocation(h), "%s adds a file from a URL without a checksum", h.describe()))
			}
		case "RUN":
			checkFetchedScript(r, h)
		}
	}
}

// checkFetchedScript parses a RUN entry's shell command and reports the
// first command in it that runs a downloaded script.
func checkFetchedScript(r *result, h historyEntry) {
	matches := shellfetch.Find(dockerfile.ParseScript(h.args))
	if len(matches) == 0 {
		return
	}
	m := matches[0]
	if m.Kind == shellfetch.Pipe {
		r.add(im013.New(r.historyLocation(h), "%s pipes the output of %s into %s, which runs the downloaded script unverified",
			h.describe(), m.Downloader, m.Interpreter))
		return
	}
	r.add(im013.New(r.historyLocation(h), "%s runs a script downloaded by a command substitution with %s, unverified",
		h.describe(), m.Interpreter))
}
