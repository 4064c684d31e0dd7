package image

import (
	"time"

	"github.com/dockward/dockward/internal/eol"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var im008 = &rule.Rule{
	ID: "IM008", Slug: "image-os-end-of-life", Severity: finding.High, Kind: rule.KindImage,
	Title: "Operating system release is end of life",
	Description: "The image's operating system release, read from /etc/os-release or the " +
		"distribution's own release file, no longer receives security updates, so known " +
		"vulnerabilities in its packages stay unfixed. The dates come from the same table " +
		"as the Dockerfile rule DF006, each with its source.",
	Fix: "Rebuild the image on a supported release of the distribution, for example " +
		"`debian:12` or `alpine:3.22`.",
	Bad:  "FROM debian:10\n# /etc/os-release: ID=debian VERSION_ID=\"10\"",
	Good: "FROM debian:12\n# /etc/os-release: ID=debian VERSION_ID=\"12\"",
	Limits: "A release older than the oldest row of its distribution is reported with that " +
		"row's date. Other releases missing from the table, such as newer ones, are not " +
		"reported. Debian counts as supported until its LTS ends; Ubuntu until standard " +
		"support ends.",
}

// osReleaseFiles lists the release files, in the order the finding's
// location prefers them.
var osReleaseFiles = []string{"/etc/os-release", "/usr/lib/os-release", "/etc/alpine-release",
	"/etc/debian_version", "/etc/lsb-release", "/etc/redhat-release", "/etc/centos-release",
	"/etc/rocky-release", "/etc/almalinux-release", "/etc/fedora-release", "/etc/system-release"}

func checkOSEndOfLife(r *result) {
	osr := r.in.OS
	if osr == nil || osr.ID == "" {
		return
	}
	e, ok := eol.ForOS(osr.ID, osr.VersionID)
	if !ok || e.Before == nil && !e.Ended(r.in.Now) {
		return
	}
	loc := r.configLocation()
	for _, p := range osReleaseFiles {
		if entry, ok := r.in.Tree.Lookup(p); ok {
			if resolved, ok := r.in.Tree.Resolve(p); ok {
				entry = resolved
			}
			loc = r.entryLocation(entry)
			break
		}
	}
	if e.Before != nil {
		r.add(im008.New(loc, "the image is based on %s %s, older than %s, whose support ended on %s (source: %s)",
			e.ProductName(), e.Cycle, e.Before.Name(), e.EOL.Format(time.DateOnly), e.Source))
		return
	}
	r.add(im008.New(loc, "the image is based on %s, whose support ended on %s (source: %s)",
		e.Name(), e.EOL.Format(time.DateOnly), e.Source))
}
