// Package csvimport turns CSV exports from dealer systems into customer
// events, one per row, in constant memory, and drives a resumable import
// of them through a caller's "post a batch" function.
//
// The pieces, each in its own file:
//
//   - encoding.go: detects UTF-8 (with or without BOM) or Windows-1252 from
//     a prefix sample, and the field delimiter from the header line.
//   - mapping.go: maps header columns to event fields, with built-in
//     synonyms for common DMS headers and a --map override.
//   - decoder.go, row.go: read rows with encoding/csv and build one
//     customer.Event per row, or a RowError naming the line, the column
//     and the reason.
//   - driver.go, checkpoint.go, report.go, progress.go: batch the events,
//     post them, write a checkpoint after each committed batch, report
//     rejected rows, show progress.
//
// The package never touches the network: the driver is given a Poster.
// Package importcmd holds the command-line and HTTP glue shared by
// touchpoint-hub import and touchpoint-agent import.
package csvimport
