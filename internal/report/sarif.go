package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/dockward/dockward/internal/finding"
)

// fingerprintKey names dockward's own partial fingerprint. It hashes the
// rule, the path, the text of the flagged lines (the message when the text
// is not known) and a counter that distinguishes identical findings, so a
// finding keeps its identity when lines move or other lines change.
const fingerprintKey = "dockwardFindingHash/v2"

// WriteSARIF writes the report as SARIF 2.1.0, with one rule descriptor for
// every rule that has a finding.
func WriteSARIF(w io.Writer, rep *finding.Report, opts Options) error {
	doc, err := sarif.New(sarif.Version210, true)
	if err != nil {
		return fmt.Errorf("creating SARIF document: %w", err)
	}
	driver := sarif.NewVersionedDriver(rep.Tool.Name, rep.Tool.Version).
		WithInformationURI("https://github.com/dockward/dockward")
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.WithColumnKind("unicodeCodePoints")
	// SRCROOT is left undefined: paths are relative to the directory
	// dockward ran in, which is the checkout root in CI. IMAGEROOT is the
	// root of a scanned image's file system; the location's description
	// names the image.
	for _, f := range rep.Findings {
		if inImage(f.Location) {
			root := sarif.NewArtifactLocation().WithDescription(
				sarif.NewTextMessage("the root file system of the scanned image"))
			run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{imageRoot: root})
			break
		}
	}

	index := map[string]int{}
	seen := map[string]int{}
	for _, f := range rep.Findings {
		if _, ok := index[f.RuleID]; !ok {
			index[f.RuleID] = len(index)
			driver.AddRule(descriptor(f, opts.Rules[f.RuleID]))
		}
		key := fingerprintBase(f)
		seen[key]++
		run.AddResult(result(f, index[f.RuleID], fingerprint(key, seen[key])))
	}
	inv := run.AddInvocation(true)
	for _, p := range rep.Problems {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notification(p))
	}
	doc.AddRun(run)
	return doc.PrettyWrite(w)
}

func descriptor(f finding.Finding, doc finding.RuleDoc) *sarif.ReportingDescriptor {
	if doc.ID == "" {
		doc = finding.RuleDoc{ID: f.RuleID, Title: f.Title, Description: f.Title, Fix: f.Fix,
			Severity: f.Severity}
		if len(f.References) > 0 {
			doc.HelpURI = f.References[len(f.References)-1].URL
		}
	}
	name := doc.Slug
	if name == "" {
		name = doc.ID
	}
	help := doc.Description
	if doc.Fix != "" {
		help += "\n\nFix: " + doc.Fix
	}
	d := sarif.NewRule(doc.ID).
		WithName(ruleName(name)).
		WithShortDescription(sarif.NewMultiformatMessageString(doc.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString(doc.Description)).
		WithHelp(sarif.NewMultiformatMessageString(help).WithMarkdown(help)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level(doc.Severity)))
	if doc.HelpURI != "" {
		d.WithHelpURI(doc.HelpURI)
	}
	props := sarif.NewPropertyBag()
	tags := append([]string{"security"}, doc.Tags...)
	props.Add("tags", slices.Compact(tags))
	props.Add("precision", "high")
	props.AddString("security-severity", securitySeverity(doc.Severity))
	d.AttachPropertyBag(props)
	return d
}

// ruleName turns a slug into the PascalCase name SARIF viewers expect.
func ruleName(slug string) string {
	var b strings.Builder
	for _, part := range strings.Split(slug, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func result(f finding.Finding, ruleIndex int, digest string) *sarif.Result {
	r := sarif.NewRuleResult(f.RuleID).
		WithRuleIndex(ruleIndex).
		WithLevel(level(f.Severity)).
		WithMessage(sarif.NewTextMessage(f.Message))
	r.AddLocation(location(f.Location))
	r.WithPartialFingerPrints(map[string]interface{}{fingerprintKey: digest})
	if f.Suppressed {
		kind, reason := "external", ""
		if f.Suppress != nil {
			reason = f.Suppress.Reason
			if f.Suppress.Kind == "inline" {
				kind = "inSource"
			}
		}
		s := sarif.NewSuppression(kind).WithStatus("accepted").
			WithGuid(suppressionGUID(f, digest)).
			WithLocation(suppressionLocation(f))
		if reason != "" {
			s.WithJustifcation(reason)
		}
		r.AddSuppression(s)
	}
	props := sarif.NewPropertyBag()
	props.AddString("severity", f.Severity.String())
	r.AttachPropertyBag(props)
	return r
}

// imageRoot is the URI base of paths inside a scanned image.
const imageRoot = "IMAGEROOT"

// inImage reports whether a location is a file inside an image, whose
// line numbers refer to that file rather than to the image reference.
func inImage(l finding.Location) bool { return l.Image != "" && l.ImagePath != "" }

// imageURI turns an image reference into a relative URI reference. A
// colon before the first slash, as in debian:12, would read as a URI
// scheme, so such a reference gets a leading "./".
func imageURI(ref string) string {
	if i := strings.IndexAny(ref, ":/"); i >= 0 && ref[i] == ':' {
		return "./" + ref
	}
	return ref
}

func location(l finding.Location) *sarif.Location {
	var art *sarif.ArtifactLocation
	switch {
	case inImage(l):
		art = sarif.NewSimpleArtifactLocation(strings.TrimPrefix(l.ImagePath, "/")).WithUriBaseId(imageRoot)
	case l.Image != "" && l.Image == l.Path:
		// A finding on the image's configuration names the image, which
		// is not a file of the checkout, so it gets no SRCROOT base.
		art = sarif.NewSimpleArtifactLocation(imageURI(l.Image))
	default:
		uri := l.Path
		if uri == "" {
			uri = strings.TrimPrefix(l.ImagePath, "/")
		}
		if uri == "" || uri == "-" {
			uri = "stdin"
		}
		if strings.HasPrefix(uri, "/") {
			uri = "file://" + uri // an absolute path is a file URI of its own
		}
		uri = strings.TrimPrefix(uri, "./")
		art = sarif.NewSimpleArtifactLocation(uri)
		if !strings.Contains(uri, "://") {
			art.WithUriBaseId("SRCROOT")
		}
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(art)
	if l.StartLine > 0 {
		reg := sarif.NewRegion().WithStartLine(l.StartLine)
		if l.StartColumn > 0 {
			reg.WithStartColumn(l.StartColumn)
		}
		if l.EndLine >= l.StartLine {
			reg.WithEndLine(l.EndLine)
		}
		if l.EndColumn > 0 {
			reg.WithEndColumn(l.EndColumn)
		}
		pl.WithRegion(reg)
	}
	loc := sarif.NewLocationWithPhysicalLocation(pl)
	if l.Image != "" {
		desc := "image " + l.Image
		if l.ImagePath != "" {
			desc += ", path " + l.ImagePath
		}
		if l.Layer != "" {
			desc += ", layer " + l.Layer
		}
		loc.WithDescriptionText(desc)
	}
	return loc
}

func notification(p finding.Problem) *sarif.Notification {
	n := sarif.NewNotification().WithLevel("warning").WithTextMessage(p.Reason)
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(
		sarif.NewSimpleArtifactLocation(p.Path).WithUriBaseId("SRCROOT"))
	if p.Line > 0 {
		pl.WithRegion(sarif.NewRegion().WithStartLine(p.Line))
	}
	return n.WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(pl)})
}

// fingerprintBase identifies a finding without its line number: the rule,
// where it is, and the text of the flagged lines, or the message when the
// engine did not read that text. Suppression is left out, so suppressing a
// finding keeps its identity.
func fingerprintBase(f finding.Finding) string {
	content := f.ContentHash
	if content == "" {
		content = "message:" + f.Message
	}
	var b strings.Builder
	for _, s := range []string{f.RuleID, f.Location.Path, f.Location.Image, f.Location.ImagePath, content} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	return b.String()
}

// fingerprint hashes a finding's base with its occurrence among findings
// of the same base, counted in report order, which is file and line order.
func fingerprint(base string, occurrence int) string {
	h := sha256.New()
	h.Write([]byte(base))
	h.Write([]byte(strconv.Itoa(occurrence)))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// suppressionLocation returns where a suppression is written, such as the
// dockward:ignore comment or the configuration file entry, or the finding's
// own location when that is unknown.
func suppressionLocation(f finding.Finding) *sarif.Location {
	if f.Suppress == nil || f.Suppress.Source == "" {
		return location(f.Location)
	}
	src := f.Suppress.Source
	line := 0
	if i := strings.LastIndexByte(src, ':'); i > 0 {
		if n, err := strconv.Atoi(src[i+1:]); err == nil {
			src, line = src[:i], n
		}
	}
	return location(finding.Location{Path: src, StartLine: line, StartColumn: 1, EndLine: line})
}

// suppressionGUID derives a stable UUID for a suppression from the finding's
// fingerprint digest and where it was suppressed, so repeated runs give
// the same value.
func suppressionGUID(f finding.Finding, digest string) string {
	h := sha256.New()
	h.Write([]byte(digest))
	if f.Suppress != nil {
		h.Write([]byte(f.Suppress.Source))
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50 // version 5 layout: name-based
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	x := hex.EncodeToString(b)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func level(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return "error"
	case finding.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity to the score GitHub code scanning uses
// to rank security alerts.
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "9.5"
	case finding.High:
		return "8.0"
	case finding.Medium:
		return "5.5"
	case finding.Low:
		return "3.0"
	}
	return "0.0"
}
