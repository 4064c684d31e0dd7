package image

import (
	"regexp"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var im013 = &rule.Rule{
	ID: "IM013", Slug: "image-remote-fetch", Severity: finding.Medium, Kind: rule.KindImage,
	Title: "History shows a remote ADD or a remote script piped to a shell",
	Description: "The image history shows that a build step added a file straight from a URL, or " +
		"downloaded a script and ran it through a shell (`curl ... | sh`). Neither checks what " +
		"it got: whoever controls the server, the DNS or the network path at build time " +
		"controls what the image contains. The history's own text is checked; trailing " +
		"builder metadata such as `# buildkit` or `|force-mtime=10` is ignored.",
	Fix: "Download with a pinned checksum instead: `ADD --checksum=sha256:... https://...` or " +
		"`curl -fsSLo file URL && echo \"SHA256  file\" | sha256sum -c -`, then run the checked file.",
	Bad:  "RUN curl -fsSL https://example.com/install.sh | sh",
	Good: "ADD --checksum=sha256:4f1c... https://example.com/install.sh /tmp/install.sh\nRUN sh /tmp/install.sh",
	Limits: "Classic builders record a remote ADD only as a file digest, which cannot be told " +
		"apart from a local file. A downloaded script run in a later step is not linked to its download.",
}

var (
	remoteAdd   = regexp.MustCompile(`^(--[a-z-]+(=\S+)?\s+)*(https?|git|ssh)://\S+`)
	checksumArg = regexp.MustCompile(`--checksum=`)
	pipeToShell = regexp.MustCompile(`\b(curl|wget|fetch)\b[^|;&]*(https?|ftp)://[^|;&]*\|\s*(sudo\s+(-\S+\s+)*)?` +
		`(env\s+\S+=\S+\s+)*(/usr)?(/bin/)?(ba|z|k|da|a)?sh\b`)
	shellOfFetch = regexp.MustCompile(`\b(ba|z|k|da|a)?sh\s+(-\S+\s+)*(<\(|-c\s+["']?\$\()\s*(curl|wget)\b`)
)

func checkRemoteFetch(r *result) {
	for _, h := range readHistory(r.in.Config) {
		switch {
		case h.instruction == "ADD" && remoteAdd.MatchString(h.args) && !checksumArg.MatchString(h.args):
			r.add(im013.New(r.historyLocation(h), "%s adds a file from a URL without a checksum", h.describe()))
		case h.instruction == "RUN" && (pipeToShell.MatchString(h.args) || shellOfFetch.MatchString(h.args)):
			r.add(im013.New(r.historyLocation(h), "%s pipes a downloaded script into a shell", h.describe()))
		}
	}
}
