package image

import (
	"io/fs"
	"strconv"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var im005 = &rule.Rule{
	ID: "IM005", Slug: "image-setuid-files", Severity: finding.Medium, Kind: rule.KindImage, CIS: "4.8",
	Title: "Setuid or setgid file in the image",
	Description: "A file with the setuid or setgid bit runs with its owner's or group's " +
		"privileges whoever starts it. In a container that keeps its default capabilities, a " +
		"flaw in such a program (su, passwd, mount, newgrp) lets an unprivileged process " +
		"become root. Each file is listed with the layer that added it.",
	Fix: "Strip the bits in the Dockerfile, for example " +
		"`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`, or run containers with " +
		"`--security-opt no-new-privileges`, which makes the bits ineffective.",
	Bad:  "FROM debian:12\n# /usr/bin/passwd, /usr/bin/su and others keep mode 4755",
	Good: "FROM debian:12\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +",
	Limits: "A setuid file that no user of the image can execute is still listed. Device nodes " +
		"with the setuid or setgid bit are listed at low severity, since the bits grant nothing " +
		"on them.",
}

func checkSetuid(r *result) {
	for _, e := range r.in.Tree.Entries() {
		if e.Mode&(fs.ModeSetuid|fs.ModeSetgid) == 0 {
			continue
		}
		bits := "setuid"
		switch {
		case e.Mode&fs.ModeSetuid != 0 && e.Mode&fs.ModeSetgid != 0:
			bits = "setuid and setgid"
		case e.Mode&fs.ModeSetgid != 0:
			bits = "setgid"
		}
		switch {
		case e.Mode.IsRegular():
			r.add(im005.New(r.entryLocation(e), "%s is %s (mode %s, owner %d:%d)",
				e.Path, bits, modeString(e.Mode), e.UID, e.GID))
		case e.Mode&fs.ModeDevice != 0:
			// The bits grant nothing on a device node, and usual build
			// steps do not set them, so such a node points to a tampered
			// or host-copied file system.
			f := im005.New(r.entryLocation(e), "%s is a %s with the %s bit (mode %s, owner %d:%d), "+
				"which grants nothing on a device node but is not set by any usual build step",
				e.Path, deviceKind(e.Mode), bits, modeString(e.Mode), e.UID, e.GID)
			f.Severity = finding.Low
			r.add(f)
		}
	}
}

// modeString prints a mode as octal with the special bits, like 4755.
func modeString(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return "0" + strconv.FormatUint(uint64(v), 8)
}
