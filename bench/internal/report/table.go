package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Table is a list of (measure, value) rows printed aligned and as Markdown.
type Table struct {
	Title string
	rows  [][2]string
}

// Add appends a row; the value is formatted with fmt.Sprint unless format args are given.
func (t *Table) Add(name, format string, args ...any) {
	t.rows = append(t.rows, [2]string{name, fmt.Sprintf(format, args...)})
}

// Rows returns the rows added so far.
func (t *Table) Rows() [][2]string { return t.rows }

// Print writes the table aligned, then the same rows as a Markdown table.
func (t *Table) Print(w io.Writer) {
	fmt.Fprintf(w, "\n== %s ==\n", t.Title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range t.rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	tw.Flush()
	fmt.Fprintf(w, "\nMarkdown:\n\n| %s | |\n| --- | --- |\n", t.Title)
	for _, r := range t.rows {
		fmt.Fprintf(w, "| %s | %s |\n", r[0], strings.ReplaceAll(r[1], "|", `\|`))
	}
}

// Header prints the machine, the command line and the load average at the start.
func Header(w io.Writer, what string) (loadAtStart string) {
	loadAtStart = LoadAverage()
	fmt.Fprintf(w, "%s\nstarted:  %s\nmachine:  %s\ncommand:  %s\nload avg: %s (start)\n",
		what, time.Now().UTC().Format(time.RFC3339), ReadMachine(), CommandLine(), loadAtStart)
	return loadAtStart
}

// Environment adds the machine, command line and load averages to a table.
func (t *Table) Environment(loadAtStart string) {
	t.Add("machine", "%s", ReadMachine())
	t.Add("command", "%s", CommandLine())
	t.Add("load average (1/5/15 min) at start / end", "%s / %s", loadAtStart, LoadAverage())
}

// Rate formats n events over d as a per-second rate.
func Rate(n int, d time.Duration) string {
	if d <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f/s", float64(n)/d.Seconds())
}
