package vulndb

import (
	"strings"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"

	"github.com/dockward/dockward/internal/finding"
)

// Rating is the severity of an advisory: computed from its most recent
// CVSS vector when it has one, otherwise the source's own rating.
type Rating struct {
	Severity finding.Severity
	// Score and Vector come from the CVSS vector; Score is nil without one.
	Score   *float64
	Vector  string
	Version string // "2.0", "3.0", "3.1" or "4.0"
	// Source is the rating the advisory's source wrote, such as "HIGH",
	// "MODERATE" or Debian's "unimportant".
	Source string
}

// rate computes the rating of an entry. CVSS v4.0 wins over v3.x, which
// wins over v2.0. A vector that does not parse is ignored.
func rate(e *Entry) Rating {
	r := Rating{Source: e.Rating}
	best := -1
	for _, s := range e.Severity {
		rank, version, score, ok := cvssScore(s.Score)
		if !ok && !strings.HasPrefix(s.Type, "CVSS") && r.Source == "" {
			// Ubuntu writes its priority as a severity of type "Ubuntu".
			r.Source = s.Score
		}
		if !ok || rank <= best {
			continue
		}
		best = rank
		sc := score
		r.Score, r.Vector, r.Version = &sc, s.Score, version
	}
	switch {
	case r.Score != nil:
		r.Severity = severityOfScore(*r.Score)
	case r.Source != "":
		r.Severity = severityOfRating(r.Source)
	}
	return r
}

// cvssScore computes the base score of a CVSS vector of any version.
func cvssScore(vector string) (rank int, version string, score float64, ok bool) {
	switch {
	case strings.HasPrefix(vector, "CVSS:4.0/"):
		v, err := gocvss40.ParseVector(vector)
		if err != nil {
			return 0, "", 0, false
		}
		return 4, "4.0", v.Score(), true
	case strings.HasPrefix(vector, "CVSS:3.1/"):
		v, err := gocvss31.ParseVector(vector)
		if err != nil {
			return 0, "", 0, false
		}
		return 3, "3.1", v.BaseScore(), true
	case strings.HasPrefix(vector, "CVSS:3.0/"):
		v, err := gocvss30.ParseVector(vector)
		if err != nil {
			return 0, "", 0, false
		}
		return 2, "3.0", v.BaseScore(), true
	case strings.HasPrefix(vector, "AV:"):
		v, err := gocvss20.ParseVector(vector)
		if err != nil {
			return 0, "", 0, false
		}
		return 1, "2.0", v.BaseScore(), true
	}
	return 0, "", 0, false
}

// severityOfScore maps a CVSS base score to the qualitative scale of CVSS
// v3.1 and v4.0: none 0.0, low 0.1-3.9, medium 4.0-6.9, high 7.0-8.9 and
// critical 9.0-10.0. The rating "none" becomes info.
func severityOfScore(s float64) finding.Severity {
	switch {
	case s >= 9.0:
		return finding.Critical
	case s >= 7.0:
		return finding.High
	case s >= 4.0:
		return finding.Medium
	case s > 0:
		return finding.Low
	}
	return finding.Info
}

// severityOfRating maps the ratings used by GitHub, Debian, Ubuntu, Red Hat
// and others to dockward's severities.
func severityOfRating(s string) finding.Severity {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return finding.Critical
	case "high", "important":
		return finding.High
	case "moderate", "medium":
		return finding.Medium
	case "low", "negligible", "unimportant":
		return finding.Low
	}
	return finding.Unknown
}
