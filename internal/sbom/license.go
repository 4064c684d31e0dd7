package sbom

import (
	"regexp"
	"strings"
)

// spdxLicenseIDs are common identifiers of the SPDX License List (3.x).
// Licences that are, or map to, one of them become identifiers; every
// other value is kept as a free-text name, which both formats accept.
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
	"Ruby": true, "Unicode-3.0": true, "Unicode-DFS-2016": true, "Unlicense": true, "W3C": true,
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

// licenseID returns the SPDX identifier that l is or stands for, or "".
func licenseID(l string) string {
	l = strings.TrimSpace(l)
	if spdxLicenseIDs[l] {
		return l
	}
	return licenseAliases[l]
}

var licenseToken = regexp.MustCompile(`\(|\)|[^\s()]+`)

// licenseExpression returns l as an SPDX license expression when every
// licence in it is a known identifier or alias, joined by AND, OR and
// WITH; a licence after WITH must name an exception, such as
// "Classpath-exception-2.0" or "Linux-syscall-note". It returns "" for
// anything else, including a single identifier.
func licenseExpression(l string) string {
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
				lower := strings.ToLower(tok)
				if !strings.Contains(lower, "exception") && !strings.HasSuffix(lower, "-note") {
					return ""
				}
			} else if id := licenseID(tok); id != "" {
				tokens[i] = id
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
