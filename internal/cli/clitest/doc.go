// Package clitest checks a cli.Program against the conventions of package
// cli, for the binaries' own tests: CheckHelp walks every command and
// subcommand with --help and help; CheckJSON runs command lines with
// --json against a real server and checks that each prints one JSON value
// with snake_case keys at every depth and whole numbers, and that every
// command and subcommand whose help lists --json has such a line.
package clitest
