package vulndb

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/vulndb/version"
)

// Reachability of a Go advisory in a binary.
const (
	// SymbolPresent means a vulnerable function named by the advisory is
	// linked into the binary.
	SymbolPresent = "symbol-present"
	// SymbolNotLinked means the module is in the binary but none of the
	// vulnerable functions are.
	SymbolNotLinked = "symbol-not-linked"
	// ReachabilityUnknown means the binary's symbols or the advisory's
	// functions are not known.
	ReachabilityUnknown = "unknown"
)

// Vulnerability is the "vulnerability" object of a finding.
type Vulnerability struct {
	ID            string        `json:"id"`
	Aliases       []string      `json:"aliases"`
	Summary       string        `json:"summary,omitempty"`
	Package       VulnPackage   `json:"package"`
	FixedVersions []string      `json:"fixed_versions"`
	Severity      string        `json:"severity"`
	Score         *float64      `json:"score,omitempty"`
	Vector        string        `json:"vector,omitempty"`
	CVSSVersion   string        `json:"cvss_version,omitempty"`
	SourceRating  string        `json:"source_rating,omitempty"`
	Found         FoundLocation `json:"found"`
	Fix           string        `json:"fix"`
	// Reachability is set for Go modules and the standard library.
	Reachability string   `json:"reachability,omitempty"`
	Symbols      []string `json:"symbols,omitempty"`
	Published    string   `json:"published,omitempty"`
}

// VulnPackage identifies the affected package.
type VulnPackage struct {
	Name          string `json:"name"`
	Version       string `json:"version"`
	Ecosystem     string `json:"ecosystem"`
	PURL          string `json:"purl"`
	SourceName    string `json:"source_name,omitempty"`
	SourceVersion string `json:"source_version,omitempty"`
}

// FoundLocation is where the package was found.
type FoundLocation struct {
	Path        string `json:"path"`
	LayerIndex  int    `json:"layer_index"`
	LayerDigest string `json:"layer_digest,omitempty"`
}

// Matcher matches inventories against a database.
type Matcher struct {
	DB *DB
	// Now is the clock for the staleness check; zero means time.Now.
	Now    time.Time
	Logger *slog.Logger
}

// Match matches every package of the inventory against db and returns one
// finding per affected package and advisory. Problems report packages
// whose versions do not parse, ecosystems without a known version order,
// and a database older than MaxAge.
func Match(ctx context.Context, db *DB, inv *pkgdb.Inventory) ([]finding.Finding, []finding.Problem) {
	return (&Matcher{DB: db}).Match(ctx, inv)
}

// Match is the package-level Match with the matcher's clock and logger.
func (m *Matcher) Match(ctx context.Context, inv *pkgdb.Inventory) ([]finding.Finding, []finding.Problem) {
	logger := m.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	now := m.Now
	if now.IsZero() {
		now = time.Now()
	}
	var fs []finding.Finding
	var problems []finding.Problem
	if p := staleProblem(m.DB.Info(), now); p != nil {
		logger.Warn(p.Reason, slog.String("database", m.DB.Path()))
		problems = append(problems, *p)
	}
	if inv == nil {
		return fs, problems
	}

	tx, err := m.DB.begin()
	if err != nil {
		return fs, append(problems, finding.Problem{Path: m.DB.Path(), Kind: "read", Reason: err.Error()})
	}
	defer tx.Rollback()
	unknown := map[string]bool{}
	run := &matchRun{tx: tx, comparers: map[string]*comparers{}, entries: map[string][]Entry{}}
	bins := goBinaries(inv.Packages)
	for _, p := range withStdlib(inv.Packages, bins) {
		if ctx.Err() != nil {
			problems = append(problems, finding.Problem{Kind: "skipped", Reason: "vulnerability matching cancelled"})
			break
		}
		q := query(p, inv.OS)
		if q.ecosystem == "" || q.name == "" || q.version == "" {
			logger.Debug("package without ecosystem, name or version", slog.String("package", p.Name))
			continue
		}
		entries, err := run.lookup(q.ecosystem, q.name)
		if err != nil {
			problems = append(problems, finding.Problem{Path: p.Path, Kind: "read", Reason: err.Error()})
			continue
		}
		if len(entries) == 0 {
			continue
		}
		scheme, ok := version.ForEcosystem(q.ecosystem)
		if !ok {
			if !unknown[q.ecosystem] {
				unknown[q.ecosystem] = true
				problems = append(problems, finding.Problem{Path: p.Path, Kind: "skipped",
					Reason: fmt.Sprintf("no version order known for ecosystem %q; its packages were not matched", q.ecosystem)})
			}
			continue
		}
		c := run.comparers[scheme.Name]
		if c == nil {
			c = newComparers(scheme)
			run.comparers[scheme.Name] = c
		}
		for i := range entries {
			f, ok, err := run.matchEntry(&entries[i], c, p, q, bins[p.Path])
			if err != nil {
				problems = append(problems, finding.Problem{Path: p.Path, Kind: "decode",
					Reason: fmt.Sprintf("package %s: %v; not matched", p.Name, err)})
				break
			}
			if ok {
				fs = append(fs, f)
			}
		}
	}
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), finding.Compare(a, b))
	})
	return fs, problems
}

// staleProblem returns a problem when the database is older than MaxAge.
func staleProblem(info Info, now time.Time) *finding.Problem {
	age := now.Sub(info.Built)
	if age <= MaxAge {
		return nil
	}
	return &finding.Problem{Kind: "config", Reason: fmt.Sprintf(
		"the vulnerability database was built %d days ago (%s); run `dockward db update` for current advisories",
		int(age.Hours()/24), info.Built.Format(time.DateOnly))}
}

// lookup is the ecosystem, name and version under which a package is
// looked up.
type lookup struct {
	ecosystem string
	name      string
	version   string
}

// query decides the ecosystem, name and version an advisory would use for
// a package. Debian and Ubuntu advisories name source packages, and
// Alpine's name the origin package, so those use the source name and
// version when the cataloguer found one.
func query(p pkgdb.Package, osr *pkgdb.OS) lookup {
	q := lookup{ecosystem: p.Ecosystem, name: p.Name, version: p.Version}
	if q.ecosystem == "" {
		q.ecosystem = ecosystemOf(p.Type, osr)
	}
	base, _, _ := strings.Cut(q.ecosystem, ":")
	switch base {
	case "Debian", "Ubuntu", "Alpine":
		q.name = cmp.Or(p.SourceName, p.Name)
		q.version = cmp.Or(p.SourceVersion, p.Version)
	case "Go":
		if q.version == "(devel)" {
			q.version = ""
		}
	}
	return q
}

// ecosystemOf derives the OSV ecosystem from a PURL type and, for
// distribution packages, the OS release.
func ecosystemOf(purlType string, osr *pkgdb.OS) string {
	switch purlType {
	case "golang":
		return "Go"
	case "npm":
		return "npm"
	case "pypi":
		return "PyPI"
	case "cargo":
		return "crates.io"
	case "gem":
		return "RubyGems"
	case "maven":
		return "Maven"
	case "composer":
		return "Packagist"
	case "nuget":
		return "NuGet"
	}
	if osr == nil {
		return ""
	}
	switch {
	case purlType == "deb" && osr.ID == "debian":
		major, _, _ := strings.Cut(osr.VersionID, ".")
		return "Debian:" + major
	case purlType == "deb" && osr.ID == "ubuntu":
		return "Ubuntu:" + osr.VersionID
	case purlType == "apk" && osr.ID == "alpine":
		parts := strings.SplitN(osr.VersionID, ".", 3)
		if len(parts) < 2 {
			return ""
		}
		return "Alpine:v" + parts[0] + "." + parts[1]
	}
	return ""
}

// matchRun caches what one Match call looked up and parsed: packages
// such as a Go binary's stdlib recur, and versions recur across events.
type matchRun struct {
	tx        *bolt.Tx
	comparers map[string]*comparers
	entries   map[string][]Entry
}

func (r *matchRun) lookup(ecosystem, name string) ([]Entry, error) {
	key := string(packageKey(ecosystem, name))
	if es, ok := r.entries[key]; ok {
		return es, nil
	}
	es, err := lookupTx(r.tx, ecosystem, name)
	if err == nil {
		r.entries[key] = es
	}
	return es, err
}

func (r *matchRun) matchEntry(e *Entry, c *comparers, p pkgdb.Package, q lookup, bin *goBinary) (finding.Finding, bool, error) {
	hit, fixed, err := affects(e, c, q.version)
	if err != nil || !hit {
		return finding.Finding{}, false, err
	}
	if q.ecosystem == "Go" && platformExcluded(e, p.Arch) {
		return finding.Finding{}, false, nil
	}
	if e.Package == "" {
		if err := detailsTx(r.tx, q.ecosystem, q.name, e); err != nil {
			return finding.Finding{}, false, err
		}
	}
	reach, symbols := "", []string(nil)
	if q.ecosystem == "Go" {
		reach, symbols = reachability(e, bin)
	}
	return newFinding(e, p, q, fixed, reach, symbols), true, nil
}
