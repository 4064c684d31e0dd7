package sbom

import (
	"regexp"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

// spdxLicenseIDs are common identifiers of the SPDX License List that
// CycloneDX output writes as license IDs. The CycloneDX schema enumerates
// the IDs it accepts, from an older list (3.17 in the copy cyclonedx-go
// v0.12.0 ships) than the one SPDX output uses through spdxID (3.29), so
// CycloneDX keeps to identifiers that both contain. Every other value is
// kept as a free-text name.
var spdxLicenseIDs = map[string]bool{
	"0BSD": true, "AGPL-3.0-only": true, "AGPL-3.0-or-later": true, "Apache-1.1": true,
	"Apache-2.0": true, "Artistic-1.0": true, "Artistic-1.0-Perl": true, "Artistic-2.0": true,
	"BSD-1-Clause": true, "BSD-2-Clause": true, "BSD-3-Clause": true, "BSD-4-Clause": true,
	"BSL-1.0": true, "BlueOak-1.0.0": true, "CC-BY-3.0": true, "CC-BY-4.0": true,
	"CC-BY-SA-4.0": true, "CC0-1.0": true, "CDDL-1.0": true, "CDDL-1.1": true, "EPL-1.0": true,
	"EPL-2.0": true, "GFDL-1.3-only": true, "GFDL-1.3-or-later": true, "GPL-1.0-only": true,
	"GPL-1.0-or-later": true, "GPL-2.0-only": true, "GPL-2.0-or-later": true,
	"GPL-3.0-only": true, "GPL-3.0-or-later": true, "ISC": true, "LGPL-2.0-only": true,
	"LGPL-2.0-or-later": true, "LGPL-2.1-only": true, "LGPL-2.1-or-later": true,
	"LGPL-3.0-only": true, "LGPL-3.0-or-later": true, "MIT": true, "MIT-0": true,
	"MPL-1.1": true, "MPL-2.0": true, "OpenSSL": true, "PSF-2.0": true, "Python-2.0": true,
	"Ruby": true, "Unicode-DFS-2016": true, "Unlicense": true, "W3C": true,
	"WTFPL": true, "X11": true, "Zlib": true, "curl": true, "bzip2-1.0.6": true,
}

// licenseAliases maps licence names that packages commonly write to their
// SPDX identifiers. Only names with one meaning are listed: the short
// names of machine-readable Debian copyright files (DEP-5), such as
// "GPL-2+", and long forms such as "Apache License 2.0".
var licenseAliases = map[string]string{
	"Apache 2.0": "Apache-2.0", "Apache License 2.0": "Apache-2.0",
	"Apache License, Version 2.0": "Apache-2.0", "Apache Software License": "Apache-2.0",
	"MIT License": "MIT", "Expat": "MIT",
	"GPL-1+": "GPL-1.0-or-later", "GPL-2": "GPL-2.0-only", "GPL-2+": "GPL-2.0-or-later",
	"GPL-3": "GPL-3.0-only", "GPL-3+": "GPL-3.0-or-later",
	"GPLv2": "GPL-2.0-only", "GPLv2+": "GPL-2.0-or-later",
	"GPLv3": "GPL-3.0-only", "GPLv3+": "GPL-3.0-or-later",
	"LGPL-2": "LGPL-2.0-only", "LGPL-2+": "LGPL-2.0-or-later",
	"LGPL-2.1": "LGPL-2.1-only", "LGPL-2.1+": "LGPL-2.1-or-later",
	"LGPL-3": "LGPL-3.0-only", "LGPL-3+": "LGPL-3.0-or-later",
	"BSD-2-clause": "BSD-2-Clause", "BSD-3-clause": "BSD-3-Clause", "BSD-4-clause": "BSD-4-Clause",
	"Zlib License": "Zlib", "ISC License": "ISC", "MPL-2": "MPL-2.0",
}

// licenseID returns the SPDX identifier among spdxLicenseIDs that l is or
// stands for, or "".
func licenseID(l string) string {
	l = strings.TrimSpace(l)
	if spdxLicenseIDs[l] {
		return l
	}
	return licenseAliases[l]
}

// spdxID returns the identifier of the whole SPDX License List that l is,
// in the list's case (bsd-3-clause is BSD-3-Clause), deprecated
// identifiers such as GPL-2.0 included, or the identifier an alias stands
// for, or "".
func spdxID(l string) string {
	l = strings.TrimSpace(l)
	if ok, id := spdxlicenses.IsActiveLicense(l); ok {
		return id
	}
	if ok, id := spdxlicenses.IsDeprecatedLicense(l); ok {
		return id
	}
	return licenseAliases[l]
}

var licenseToken = regexp.MustCompile(`\(|\)|[^\s()]+`)

// licenseExpression returns l as an SPDX license expression when every
// licence in it is an identifier that id returns, joined by AND, OR and
// WITH; a licence after WITH must be an exception of the SPDX list, such
// as "Classpath-exception-2.0" or "Linux-syscall-note". It returns "" for
// anything else, including a single identifier.
func licenseExpression(l string, id func(string) string) string {
	tokens := licenseToken.FindAllString(l, -1)
	if len(tokens) < 3 {
		return ""
	}
	depth := 0
	wantOperand := true
	for i, tok := range tokens {
		switch {
		case tok == "(":
			if !wantOperand {
				return ""
			}
			depth++
		case tok == ")":
			if wantOperand || depth == 0 {
				return ""
			}
			depth--
		case tok == "AND" || tok == "OR" || tok == "WITH":
			if wantOperand {
				return ""
			}
			wantOperand = true
		case wantOperand:
			if i > 0 && tokens[i-1] == "WITH" {
				ok, exception := spdxlicenses.IsException(tok)
				if !ok {
					return ""
				}
				tokens[i] = exception
			} else if known := id(tok); known != "" {
				tokens[i] = known
			} else {
				return ""
			}
			wantOperand = false
		default:
			return ""
		}
	}
	if wantOperand || depth != 0 {
		return ""
	}
	return strings.NewReplacer("( ", "(", " )", ")").Replace(strings.Join(tokens, " "))
}
