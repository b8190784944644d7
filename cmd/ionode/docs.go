package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// configDocPath is where the generated configuration reference lives in the repository.
const configDocPath = "docs/configuration.md"

func newDocsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Print generated documentation",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "config",
		Short: "Print the configuration reference (Markdown) of ionode serve and ionode testnet",
		Long:  "Print the configuration reference, generated from the flag definitions:\n  go run ./cmd/ionode docs config > " + configDocPath,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeConfigDoc(cmd.OutOrStdout())
		},
	})
	return cmd
}

// writeConfigDoc writes the reference from the commands' own flag sets, so it cannot drift from them
// (TestConfigurationDocIsCurrent fails when the committed file does).
func writeConfigDoc(w io.Writer) error {
	// Defaults that depend on the machine (the home directory) are written as ~.
	home, _ := os.UserHomeDir()
	noEnvGetenv := func(string) string { return "" }
	var b strings.Builder
	b.WriteString(`# Configuration reference

<!-- Generated from the flag definitions by ` + "`go run ./cmd/ionode docs config > " + configDocPath + "`" + `; do not edit. -->

Every setting is a command-line flag. A flag not given on the command line is read from its ` + "`ION_`" + `
environment variable (the flag name in upper snake case: ` + "`--bitcoin-rpc`" + ` is ` + "`ION_BITCOIN_RPC`" + `), then, for
` + "`ionode serve`" + `, from the JSON file named by ` + "`--config`" + ` (keys are flag names, lists are JSON arrays), then
the default. Lists given in a flag or variable are comma-separated; durations use Go's syntax (` + "`90s`" + `,
` + "`10m`" + `, ` + "`1h30m`" + `).
`)
	for _, c := range []*cobra.Command{newServeCommand(noEnvGetenv), newTestnetCommand(noEnvGetenv)} {
		fmt.Fprintf(&b, "\n## ionode %s\n\n%s.\n\n", c.Name(), c.Short)
		b.WriteString("| Flag | Environment | Default | Description |\n|---|---|---|---|\n")
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			env := "—"
			if envBound(fl) {
				env = "`" + envName(fl.Name) + "`"
			}
			fmt.Fprintf(&b, "| `--%s` | %s | %s | %s |\n", fl.Name, env, docDefault(fl, home), docCell(fl.Usage))
		})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func docDefault(fl *pflag.Flag, home string) string {
	def := fl.DefValue
	if home != "" && strings.HasPrefix(def, home) {
		def = "~" + strings.TrimPrefix(def, home)
	}
	switch {
	case def == "" || def == "[]":
		return "—"
	case fl.Value.Type() == "stringSlice":
		def = strings.Trim(def, "[]")
	}
	return "`" + def + "`"
}

// docCell makes text safe inside a Markdown table cell.
func docCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
