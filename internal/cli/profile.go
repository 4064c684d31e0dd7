package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	seccompinput "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/profile"
	"github.com/dockward/dockward/internal/rules"
	aarules "github.com/dockward/dockward/internal/rules/apparmor"
	scrules "github.com/dockward/dockward/internal/rules/seccomp"
)

// newProfileCommand builds "dockward profile", the parent of the commands
// that work on seccomp and AppArmor profiles.
func newProfileCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Lint, compare, generate and test seccomp and AppArmor profiles",
		Long: "profile works on the kernel profiles that confine containers: seccomp filters in\n" +
			"Docker, OCI or security-profiles-operator form, and AppArmor profile text.",
	}
	cmd.AddCommand(
		newProfileLintCommand(g),
		newProfileDiffCommand(g),
		newProfileGenerateCommand(g),
		newProfileTestCommand(g),
		// The generate and test subcommands are added here, one line each.
	)
	return cmd
}

type profileLintOptions struct {
	out             outputOptions
	apparmorName    string
	noNewPrivileges bool
	includeDirs     []string
}

func newProfileLintCommand(g *globals) *cobra.Command {
	o := &profileLintOptions{}
	cmd := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Lint seccomp and AppArmor profiles",
		Long: "lint detects each FILE's kind from its content (seccomp JSON or YAML, or AppArmor\n" +
			"profile text) and applies the SC or AA rules to it. An AppArmor file of rules without\n" +
			"a profile header, such as an abstraction, has its rules linted and is reported as a\n" +
			"problem, because the checks of a whole profile do not apply to it.\n\n" +
			"Exit status: 0 when no unsuppressed finding reaches --fail-on, 1 when one does,\n" +
			"2 for usage errors and files that cannot be read.",
		Example: "  dockward profile lint seccomp.json\n" +
			"  dockward profile lint --apparmor-name docker-nginx nginx.profile\n" +
			"  dockward profile lint -I ./apparmor.d app.profile",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfileLint(g, o, args)
		},
	}
	addOutputFlags(cmd, &o.out)
	cmd.Flags().StringVar(&o.apparmorName, "apparmor-name", "",
		"profile name a runtime setting uses (apparmor=NAME); AA008 checks the file declares it")
	cmd.Flags().BoolVar(&o.noNewPrivileges, "no-new-privileges", false,
		"lint seccomp profiles for containers run with --security-opt no-new-privileges (SC003 then "+
			"requires only the syscalls runc makes after installing the filter just before execve)")
	cmd.Flags().StringArrayVarP(&o.includeDirs, "include-dir", "I", nil,
		"directory to search for AppArmor <name> includes before /etc/apparmor.d, like apparmor_parser -I "+
			"(repeatable; searched in the order given)")
	return cmd
}

func runProfileLint(g *globals, o *profileLintOptions, paths []string) error {
	if err := o.out.validate(); err != nil {
		return err
	}
	rep := &finding.Report{
		SchemaVersion: finding.SchemaVersion,
		Command:       "profile lint",
		Targets:       paths,
		Findings:      []finding.Finding{},
		Problems:      []finding.Problem{},
	}
	eng := engine.New(rules.Registry())
	unreadable := 0
	for _, path := range paths {
		data, err := readProfile(path)
		if err != nil {
			unreadable++
			rep.Problems = append(rep.Problems, finding.Problem{Path: path, Reason: err.Error(), Kind: "read"})
			continue
		}
		fs, ps := lintProfileData(path, data, o)
		file := &engine.File{Path: path, Data: data}
		rep.Findings = append(rep.Findings, eng.Apply(fs, file, nil, time.Now())...)
		rep.Problems = append(rep.Problems, ps...)
	}
	finding.Sort(rep.Findings, rep.Problems)
	rep.Summarize()
	err := o.out.write(g, rep)
	if unreadable > 0 && (err == nil || errors.Is(err, errFindings)) {
		return &ExitError{Code: 2}
	}
	return err
}

func readProfile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading profile: %w", err)
	}
	if info.Size() > seccompinput.MaxSize {
		return nil, fmt.Errorf("reading profile: %w: split it or remove unused rules", seccompinput.ErrTooLarge)
	}
	return os.ReadFile(path)
}

// lintProfileData applies the seccomp or AppArmor rules, whichever kind
// the content is.
func lintProfileData(path string, data []byte, o *profileLintOptions) ([]finding.Finding, []finding.Problem) {
	switch {
	case scrules.Detect(data) || looksLikeJSON(data):
		fs, err := scrules.LintWith(path, data, scrules.LintOptions{NoNewPrivileges: o.noNewPrivileges})
		if err != nil {
			return nil, []finding.Problem{{Path: path, Reason: err.Error(), Kind: "decode"}}
		}
		return fs, nil
	case bytes.Contains(data, []byte("kind: AppArmorProfile")):
		return nil, []finding.Problem{{Path: path, Kind: "skipped",
			Reason: "AppArmorProfile resources hold an abstract policy, not profile text: lint the installed profile instead"}}
	}
	fs, ps, err := aarules.Lint(path, data, aarules.Options{Name: o.apparmorName, IncludeDirs: o.includeDirs})
	if err != nil {
		return nil, []finding.Problem{{Path: path, Reason: err.Error(), Kind: "decode"}}
	}
	return fs, ps
}

func looksLikeJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

type profileDiffOptions struct {
	against string
	format  string
}

func newProfileDiffCommand(g *globals) *cobra.Command {
	o := &profileDiffOptions{}
	cmd := &cobra.Command{
		Use:   "diff A B | diff --against default B",
		Short: "Show the syscalls one seccomp profile allows and the other does not",
		Long: "diff compares two seccomp profiles per architecture: \"-\" marks a syscall only A\n" +
			"allows, \"+\" one only B allows, and \"~\" one both allow under different conditions\n" +
			"(capabilities, argument comparisons, kernel version). With --against default, A is\n" +
			"Docker's default profile (github.com/moby/profiles/seccomp v0.3.0).\n\n" +
			"Exit status: 0 when the profiles allow the same syscalls, 1 when they differ, 2 for\n" +
			"usage errors and profiles that cannot be read.",
		Example: "  dockward profile diff old.json new.json\n" +
			"  dockward profile diff --against default custom.json",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfileDiff(g, o, args)
		},
	}
	cmd.Flags().StringVar(&o.against, "against", "", "compare with a built-in profile instead of A: default")
	cmd.Flags().StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	return cmd
}

func runProfileDiff(g *globals, o *profileDiffOptions, args []string) error {
	if o.format != "text" && o.format != "json" {
		return usageError(fmt.Errorf("invalid --format %q: use text or json", o.format))
	}
	switch {
	case o.against != "" && o.against != "default":
		return usageError(fmt.Errorf("invalid --against %q: the only built-in profile is default", o.against))
	case o.against != "" && len(args) != 1:
		return usageError(errors.New("diff --against default takes one profile"))
	case o.against == "" && len(args) != 2:
		return usageError(errors.New("diff takes two profiles, or one with --against default"))
	}

	var nameA string
	var a *seccompinput.Profile
	if o.against == "default" {
		nameA, a = "default ("+seccompinput.DefaultSource+")", seccompinput.Default()
	} else {
		p, err := loadSeccomp(args[0])
		if err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		nameA, a = args[0], p
	}
	b, err := loadSeccomp(args[len(args)-1])
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}

	d := profile.DiffSeccomp(nameA, a, args[len(args)-1], b)
	if o.format == "json" {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(d)
	} else {
		err = d.WriteText(g.stdout)
	}
	if err != nil {
		return fmt.Errorf("writing diff: %w", err)
	}
	if !d.Empty() {
		return &ExitError{Code: 1}
	}
	return nil
}

// loadSeccomp reads the one profile in a file; a file with several
// SeccompProfile documents must be split first.
func loadSeccomp(path string) (*seccompinput.Profile, error) {
	data, err := readProfile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ps, err := seccompinput.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("reading seccomp profile %q: %w", path, err)
	}
	if len(ps) != 1 {
		return nil, fmt.Errorf("reading seccomp profile %q: it contains %d profiles, but diff compares one profile with one: split the file", path, len(ps))
	}
	return ps[0], nil
}
