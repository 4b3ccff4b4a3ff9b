// Package clitest checks a cli.Program against the conventions of package
// cli, for the binaries' own tests.
package clitest
