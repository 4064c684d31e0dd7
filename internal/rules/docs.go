package rules

import (
	"fmt"
	"strings"

	"github.com/dockward/dockward/internal/rule"
)

// Doc renders the documentation page of a rule in Markdown. The pages
// under docs/rules/ are generated with it, and a test fails when they
// drift from the registry.
func Doc(r *rule.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| ID | `%s` |\n| Slug | `%s` |\n| Severity | %s |\n| Input | %s |\n",
		r.ID, r.Slug, r.Severity, r.Kind)
	if r.CIS != "" {
		fmt.Fprintf(&b, "| CIS Docker Benchmark | %s |\n", r.CIS)
	}
	fmt.Fprintf(&b, "\n## What it finds\n\n%s\n\n## Fix\n\n%s\n", r.Description, r.Fix)
	if r.Bad != "" {
		fmt.Fprintf(&b, "\n## Bad\n\n```%s\n%s\n```\n", codeLanguage(r.Kind, r.Bad),
			strings.TrimRight(r.Bad, "\n"))
	}
	if r.Good != "" {
		fmt.Fprintf(&b, "\n## Good\n\n```%s\n%s\n```\n", codeLanguage(r.Kind, r.Good),
			strings.TrimRight(r.Good, "\n"))
	}
	if r.Limits != "" {
		fmt.Fprintf(&b, "\n## Limits\n\n%s\n", r.Limits)
	}
	refs := r.AllReferences()
	fmt.Fprintf(&b, "\n## References\n\n")
	for _, ref := range refs[:len(refs)-1] {
		if ref.URL != "" {
			fmt.Fprintf(&b, "- [%s](%s)\n", ref.Title, ref.URL)
		} else {
			fmt.Fprintf(&b, "- %s\n", ref.Title)
		}
	}
	fmt.Fprintf(&b, "\nSuppress one finding with `# dockward:ignore %s <reason>` on the line above it, "+
		"or in `.dockward.yaml` (see [the configuration page](../config.md)).\n", r.ID)
	return b.String()
}

// Index renders docs/rules/README.md, the list of every rule.
func Index(reg *rule.Registry) string {
	var b strings.Builder
	b.WriteString("# Rules\n\nGenerated from the rule registry by `go test ./internal/rules -update`; " +
		"do not edit by hand.\n\n| ID | Slug | Severity | Input | Title |\n|---|---|---|---|---|\n")
	for _, r := range reg.All() {
		fmt.Fprintf(&b, "| [%s](%s.md) | `%s` | %s | %s | %s |\n", r.ID, r.ID, r.Slug, r.Severity, r.Kind, r.Title)
	}
	return b.String()
}

// codeLanguage tags an example by its form. Runtime examples are command
// lines, compose files or manifests.
func codeLanguage(k rule.Kind, example string) string {
	switch k {
	case rule.KindDockerfile:
		return "dockerfile"
	case rule.KindRuntime:
		first, _, _ := strings.Cut(strings.TrimSpace(example), " ")
		if first == "docker" || first == "podman" || first == "sudo" {
			return "sh"
		}
		return "yaml"
	case rule.KindSeccomp:
		return "json"
	case rule.KindAppArmor:
		return "text"
	}
	return ""
}
