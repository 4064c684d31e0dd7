package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/rules"
)

func newRulesCommand(g *globals) *cobra.Command {
	var format, kind string
	cmd := &cobra.Command{
		Use:     "rules [RULE_ID]",
		Short:   "List rules, or explain one with a bad and a good example",
		Example: "  dockward rules\n  dockward rules DF004\n  dockward rules --kind runtime",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg := rules.Registry()
			if len(args) == 1 {
				r, ok := reg.Lookup(args[0])
				if !ok {
					return usageError(fmt.Errorf("unknown rule %q: run dockward rules to list them", args[0]))
				}
				return printRule(g, r, format)
			}
			return listRules(g, reg, format, kind)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json")
	cmd.Flags().StringVar(&kind, "kind", "", "list only rules for this input kind, such as dockerfile or runtime")
	return cmd
}

type ruleJSON struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Severity    string `json:"severity"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Fix         string `json:"fix"`
	CIS         string `json:"cis,omitempty"`
	Bad         string `json:"bad_example,omitempty"`
	Good        string `json:"good_example,omitempty"`
	Docs        string `json:"docs"`
}

func toJSON(r *rule.Rule) ruleJSON {
	return ruleJSON{ID: r.ID, Slug: r.Slug, Title: r.Title, Severity: r.Severity.String(),
		Kind: string(r.Kind), Description: r.Description, Fix: r.Fix, CIS: r.CIS,
		Bad: r.Bad, Good: r.Good, Docs: r.DocsURL()}
}

func listRules(g *globals, reg *rule.Registry, format, kind string) error {
	if kind != "" && !knownKind(reg, kind) {
		return usageError(fmt.Errorf("unknown --kind %q: use one of %s", kind, strings.Join(kinds(reg), ", ")))
	}
	var list []*rule.Rule
	for _, r := range reg.All() {
		if kind == "" || strings.EqualFold(string(r.Kind), kind) {
			list = append(list, r)
		}
	}
	switch format {
	case "json":
		out := make([]ruleJSON, 0, len(list))
		for _, r := range list {
			out = append(out, toJSON(r))
		}
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "table":
		tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tKIND\tTITLE")
		for _, r := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Kind, r.Title)
		}
		return tw.Flush()
	}
	return usageError(fmt.Errorf("invalid --format %q: use table or json", format))
}

func printRule(g *globals, r *rule.Rule, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(toJSON(r))
	case "table":
		_, err := fmt.Fprint(g.stdout, rules.Doc(r))
		return err
	}
	return usageError(fmt.Errorf("invalid --format %q: use table or json", format))
}

func kinds(reg *rule.Registry) []string {
	var out []string
	for _, r := range reg.All() {
		if !slices.Contains(out, string(r.Kind)) {
			out = append(out, string(r.Kind))
		}
	}
	slices.Sort(out)
	return out
}

func knownKind(reg *rule.Registry, kind string) bool {
	for _, k := range kinds(reg) {
		if strings.EqualFold(k, kind) {
			return true
		}
	}
	return false
}
