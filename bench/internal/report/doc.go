// Package report gathers what every bench command prints beside its figures: the machine (CPU model,
// cores, load average), the exact command line, process resource use (CPU seconds, peak RSS) and a
// results table in plain text and as a Markdown table ready for the README.
package report
