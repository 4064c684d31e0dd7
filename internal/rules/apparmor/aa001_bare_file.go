package apparmor

import (
	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// BareFile fires on a "file," rule.
var BareFile = &rule.Rule{
	ID:       "AA001",
	Slug:     "apparmor-bare-file",
	Title:    "Bare file rule allows all file access",
	Severity: finding.Medium,
	Kind:     rule.KindAppArmor,
	Description: "`file,` allows every file operation on every path, so the profile confines files " +
		"only through its deny rules. Docker's default profile does this too and relies on its " +
		"deny list; a profile written for one application should name the paths it uses.",
	Fix:  "Replace `file,` with rules for the paths the program uses, such as `/srv/app/** r,`.",
	Bad:  "profile app {\n  file,\n}",
	Good: "profile app {\n  /srv/app/** r,\n  /tmp/** rw,\n}",
}

func checkBareFile(t *target) []finding.Finding {
	return bareRules(t, BareFile, input.KindFile,
		"%s allows every file operation on every path except what its deny rules name")
}
