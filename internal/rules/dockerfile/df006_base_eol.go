package dockerfile

import (
	"strings"
	"time"

	"github.com/dockward/dockward/internal/eol"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df006 = &rule.Rule{
	ID: "DF006", Slug: "base-image-end-of-life", Severity: finding.High, Kind: rule.KindDockerfile,
	Title: "Base image release is end of life",
	Description: "The base image's distribution or language release no longer receives security " +
		"updates, so known vulnerabilities in it stay unfixed. dockward reads the release from " +
		"the official image's name and tag (`python:3.8-slim-buster` is Python 3.8 on Debian 10) " +
		"and compares it with a dated table of end-of-life dates, each with its source.",
	Fix:  "Move to a supported release, for example `python:3.13-slim-trixie` or `alpine:3.22`.",
	Bad:  "FROM python:3.8-slim-buster",
	Good: "FROM python:3.13-slim-trixie",
	Limits: "Only official images (Docker Hub library images and their mirrors) are recognised, " +
		"and only the products in the table: Debian, Ubuntu, Alpine, CentOS, Fedora, Amazon " +
		"Linux, Python, Node.js, Go, PostgreSQL, Ruby and PHP. Debian counts as supported until " +
		"its LTS ends; Ubuntu until standard support ends.",
}

func checkBaseEOL(c *Context) {
	now := time.Now()
	if c.Env != nil && !c.Env.Now.IsZero() {
		now = c.Env.Now
	}
	for _, b := range c.baseImages() {
		if b.tag == "" || b.domain() != "docker.io" && !isLibraryMirror(b.repository()) {
			continue
		}
		for _, e := range eol.ForImage(b.repository(), b.tag) {
			switch {
			case e.Before != nil:
				c.report(df006, b.stage.From, "base image %q is %s %s, older than %s, whose support ended on %s (source: %s)",
					b.ref, displayProduct(e), e.Cycle, e.Before.Name(), e.EOL.Format(time.DateOnly), e.Source)
			case e.Ended(now):
				c.report(df006, b.stage.From, "base image %q is %s, whose support ended on %s (source: %s)",
					b.ref, e.Name(), e.EOL.Format(time.DateOnly), e.Source)
			}
		}
	}
}

// isLibraryMirror reports whether a repository path mirrors Docker Hub's
// library, as public.ecr.aws/docker/library/python does.
func isLibraryMirror(repo string) bool {
	return len(repo) > len("docker/library/") && repo[:len("docker/library/")] == "docker/library/"
}

// displayProduct returns the product name without its cycle.
func displayProduct(e eol.Entry) string {
	name := e.Before.Name()
	if i := strings.LastIndex(name, " "+e.Before.Cycle); i > 0 {
		return name[:i]
	}
	return e.Product
}
