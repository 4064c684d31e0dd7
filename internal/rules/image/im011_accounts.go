package image

import (
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var im011 = &rule.Rule{
	ID: "IM011", Slug: "image-weak-accounts", Severity: finding.High, Kind: rule.KindImage,
	Title: "Extra UID 0 account or account with an empty password",
	Description: "An account other than root with UID 0 is a second root that audits and " +
		"policies keyed on the name miss; it is a classic backdoor. An account whose password " +
		"field in /etc/passwd or /etc/shadow is empty lets anyone log in or `su` to it without " +
		"a password. Locked fields (`!`, `*`, `x`) are fine. Lines that are not valid account " +
		"entries are skipped with a note in the report's problems, never a crash.",
	Fix: "Delete the extra UID 0 account, and lock password-less accounts with " +
		"`passwd -l NAME` or by writing `!` in the password field.",
	Bad:    "toor:x:0:0:backdoor:/root:/bin/sh\nguest::1001:1001::/home/guest:/bin/sh",
	Good:   "root:x:0:0:root:/root:/bin/bash\nguest:x:1001:1001::/home/guest:/usr/sbin/nologin",
	Limits: "Accounts from NSS sources other than the files (LDAP, SSSD) are not seen.",
}

func checkAccounts(r *result) {
	a := r.accounts
	for _, acc := range a.users {
		if acc.uid == 0 && acc.name != "root" {
			r.add(im011.New(r.lineLocation(a.passwd.Path, acc.line, a.passwd),
				"account %q has UID 0, so it is a second root account", acc.name))
		}
		if acc.password == "" {
			r.add(im011.New(r.lineLocation(a.passwd.Path, acc.line, a.passwd),
				"account %q has an empty password field in %s, so it needs no password", acc.name, passwdPath))
		}
	}
	if a.shadowE == nil {
		return
	}
	for _, name := range sortedKeys(a.shadow) {
		s := a.shadow[name]
		if s.password == "" {
			r.add(im011.New(r.lineLocation(a.shadowE.Path, s.line, a.shadowE),
				"account %q has an empty password field in %s, so it needs no password", name, shadowPath))
		}
	}
}
