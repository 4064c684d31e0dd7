package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/secretexec"
	"github.com/dockward/dockward/internal/secrets"
)

type execOptions struct {
	envFromFiles   bool
	roots          []string
	dirs           []string
	vault          []string
	allowHTTPVault bool
	newline        string
	init           bool
	dryRun         bool
}

func newExecCommand(g *globals) *cobra.Command {
	o := &execOptions{}
	cmd := &cobra.Command{
		Use:   "exec [flags] -- COMMAND [ARG...]",
		Short: "Resolve secrets from files and Vault, then run the application (an entrypoint wrapper)",
		Long: "exec reads the secrets an application needs, puts them into its environment, and\n" +
			"replaces itself with the application, which keeps PID 1 in a container. With --init\n" +
			"it runs the application as a child instead, forwards signals to it and reaps\n" +
			"orphaned processes.\n\n" +
			"Sources:\n" +
			"  --env-from-files   NAME_FILE=/run/secrets/x becomes NAME=<content of x>; NAME_FILE\n" +
			"                     is removed. Only files under /run/secrets, /var/run/secrets and\n" +
			"                     --secrets-root directories count, so SSL_CERT_FILE and the like\n" +
			"                     stay as they are. Without it the application reads the file.\n" +
			"  --secrets-dir DIR  every file in DIR (Docker secrets in /run/secrets, a Kubernetes\n" +
			"                     secret volume) becomes a variable named after the file:\n" +
			"                     db-password becomes DB_PASSWORD.\n" +
			"  Vault KV v2        NAME=vault:MOUNT/PATH#KEY in the environment, or --vault\n" +
			"                     NAME=MOUNT/PATH#KEY. VAULT_ADDR names the server;\n" +
			"                     VAULT_TOKEN_FILE a token file, or VAULT_ROLE_ID with\n" +
			"                     VAULT_SECRET_ID_FILE an AppRole login (VAULT_APPROLE_MOUNT,\n" +
			"                     VAULT_CACERT and VAULT_NAMESPACE are honoured). The token and\n" +
			"                     these variables are removed from the application's environment.\n\n" +
			"Trailing newlines: by default one trailing \"\\n\" or \"\\r\\n\" is removed from a file\n" +
			"secret, because echo and editors add one; --newline trim-all removes all, keep none.\n\n" +
			"Safety: a secret file that other users can write is rejected, a Vault address over\n" +
			"plain http is rejected unless --vault-allow-http, and a file every user can read is a\n" +
			"warning on standard error. Values are never logged. --dry-run lists the variables with\n" +
			"redacted values, and each NAME_FILE variable it skips with the reason and how to\n" +
			"include it.",
		Example: "  ENTRYPOINT [\"/dockward\", \"exec\", \"--env-from-files\", \"--\", \"/app/server\"]\n" +
			"  dockward exec --init --secrets-dir /run/secrets -- node server.js\n" +
			"  DB_PASSWORD=vault:secret/app/db#password dockward exec -- ./app",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExec(g, o, args)
		},
	}

	f := cmd.Flags()
	f.SetInterspersed(false)
	f.BoolVar(&o.envFromFiles, "env-from-files", false,
		"turn every NAME_FILE=PATH variable into NAME=<content of PATH>")
	f.StringArrayVar(&o.roots, "secrets-root", nil,
		"directory besides /run/secrets and /var/run/secrets whose files --env-from-files may read, "+
			"such as a Kubernetes secret volume's mount path (repeatable)")
	f.StringArrayVar(&o.dirs, "secrets-dir", nil,
		"directory whose files become variables named after them (repeatable)")
	f.StringArrayVar(&o.vault, "vault", nil, "read NAME from Vault KV v2, as NAME=MOUNT/PATH#KEY (repeatable)")
	f.BoolVar(&o.allowHTTPVault, "vault-allow-http", false,
		"allow a VAULT_ADDR with the http scheme, for a Vault agent on the same host")
	f.StringVar(&o.newline, "newline", "trim-one",
		"trailing newlines of file secrets: trim-one, trim-all or keep")
	f.BoolVar(&o.init, "init", false,
		"run the application as a child, forward signals and reap zombies, instead of replacing dockward")
	f.BoolVar(&o.dryRun, "dry-run", false,
		"print the variables that would be set, with redacted values, and the skipped NAME_FILE "+
			"variables with the reason, and run nothing")
	return cmd
}

func runExec(g *globals, o *execOptions, args []string) error {
	opts := secretexec.Options{Env: os.Environ(), EnvFromFiles: o.envFromFiles, Dirs: o.dirs,
		FileRoots:      append(slices.Clone(secretexec.DefaultFileRoots), o.roots...),
		AllowHTTPVault: o.allowHTTPVault, Logger: g.logger}
	switch o.newline {
	case "trim-one":
		opts.Newline = secretexec.TrimOne
	case "trim-all":
		opts.Newline = secretexec.TrimAll
	case "keep":
		opts.Newline = secretexec.Keep
	default:
		return usageError(fmt.Errorf("invalid --newline %q: use trim-one, trim-all or keep", o.newline))
	}
	if len(o.vault) > 0 {
		opts.Vault = map[string]string{}
		for _, v := range o.vault {
			name, ref, ok := strings.Cut(v, "=")
			if !ok || name == "" {
				return usageError(fmt.Errorf("invalid --vault %q: write it as NAME=MOUNT/PATH#KEY", v))
			}
			opts.Vault[name] = ref
		}
	}

	res, err := secretexec.Resolve(opts)
	if err != nil {
		return &ExitError{Code: 2, Err: fmt.Errorf("resolving secrets: %w", err)}
	}
	if o.dryRun {
		return printDryRun(g, res, opts.FileRoots, args)
	}
	if o.init {
		status, err := secretexec.Init(args, res.Env)
		if err != nil {
			return &ExitError{Code: execFailureCode(err), Err: err}
		}
		if status != 0 {
			return &ExitError{Code: status}
		}
		return nil
	}
	err = secretexec.Exec(args, res.Env)
	return &ExitError{Code: execFailureCode(err), Err: err}
}

// skipDetail explains why a NAME_FILE variable was skipped and how to
// include it.
func skipDetail(s secretexec.Skipped, roots []string) string {
	name := strings.TrimSuffix(s.Name, "_FILE")
	switch s.Reason {
	case secretexec.OutsideRoots:
		return fmt.Sprintf("%s (%s); to set %s from it, add --secrets-root %s",
			s.Reason, strings.Join(roots, ", "), name, filepath.Dir(filepath.Clean(s.Path)))
	case secretexec.RelativePath:
		return fmt.Sprintf("%s; to set %s from it, give an absolute path under %s or under a --secrets-root directory",
			s.Reason, name, strings.Join(roots, ", "))
	}
	return s.Reason.String()
}

// execFailureCode follows the shell: 127 when the command is not found,
// 126 when it cannot be run.
func execFailureCode(err error) int {
	if errors.Is(err, exec.ErrNotFound) {
		return 127
	}
	return 126
}

// printDryRun writes what exec would do to standard output. Warnings are
// not repeated here, because Resolve already logged them to standard
// error.
func printDryRun(g *globals, res *secretexec.Result, roots []string, args []string) error {
	w := g.stdout
	for _, v := range res.Variables {
		fmt.Fprintf(w, "would set %s=%s from %s\n", v.Name, v.Redacted(), v.Source)
	}
	if len(res.Variables) == 0 {
		fmt.Fprintln(w, "would set no variables from secrets")
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "skipped %s=%s: %s\n", s.Name, s.Path, skipDetail(s, roots))
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = fmt.Sprintf("%q", secrets.RedactText(a))
	}
	fmt.Fprintf(w, "would run %s\n", strings.Join(quoted, " "))
	return nil
}
