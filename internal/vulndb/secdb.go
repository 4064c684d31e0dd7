package vulndb

import (
	"encoding/json"
	"fmt"
	"strings"
)

// secDB is Alpine's security database for one release and repository, as
// served at https://secdb.alpinelinux.org/vX.Y/main.json.
type secDB struct {
	DistroVersion string `json:"distroversion"`
	RepoName      string `json:"reponame"`
	Packages      []struct {
		Pkg struct {
			Name string `json:"name"`
			// SecFixes maps a fixed version to the advisory IDs it fixes.
			SecFixes map[string][]string `json:"secfixes"`
		} `json:"pkg"`
	} `json:"packages"`
}

// isSecDB reports whether a JSON document looks like an Alpine secdb file.
func isSecDB(data []byte) bool {
	var probe struct {
		DistroVersion *string          `json:"distroversion"`
		Packages      *json.RawMessage `json:"packages"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.DistroVersion != nil && probe.Packages != nil
}

// AddSecDBData adds the advisories of an Alpine secdb file. Each fixed
// version becomes a range from "0" to that version in the ecosystem
// "Alpine:vX.Y". A fixed version of "0" means the Alpine package was never
// affected, so it adds nothing.
func (b *Builder) AddSecDBData(path string, data []byte) {
	var db secDB
	if err := json.Unmarshal(data, &db); err != nil {
		b.problem(path, fmt.Sprintf("decoding Alpine secdb JSON: %v; file skipped", err))
		return
	}
	release := db.DistroVersion
	if !strings.HasPrefix(release, "v") {
		release = "v" + release
	}
	ecosystem := "Alpine:" + release
	for _, p := range db.Packages {
		for fixed, ids := range p.Pkg.SecFixes {
			if fixed == "0" || p.Pkg.Name == "" {
				continue
			}
			for _, field := range ids {
				// Entries may hold several IDs ("CVE-2019-1 CVE-2019-2") or
				// a note after the ID.
				for _, id := range strings.Fields(field) {
					if !looksLikeAdvisoryID(id) {
						continue
					}
					b.add(ecosystem, &Entry{
						ID: id, Package: p.Pkg.Name,
						Ranges:     []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}, {Fixed: fixed}}}},
						References: []string{"https://security.alpinelinux.org/vuln/" + id},
					})
				}
			}
		}
	}
}

// looksLikeAdvisoryID accepts CVE-, XSA-, GHSA- and similar IDs and
// rejects the free text some secdb entries carry.
func looksLikeAdvisoryID(s string) bool {
	prefix, rest, ok := strings.Cut(s, "-")
	if !ok || prefix == "" || rest == "" {
		return false
	}
	for _, c := range prefix {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
