package main

import (
	"path/filepath"

	"github.com/touchpoint/touchpoint/systemtest/freeport"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// startProc starts bin from binDir with args, logging to logDir/name.log.
func startProc(logDir, name, bin string, env []string, args ...string) (*proc.Proc, error) {
	return proc.Start(proc.Spec{Name: name, Path: filepath.Join(binDir, bin), Args: args, Env: env,
		LogFile: filepath.Join(logDir, name+".log")})
}

// runBin runs a binary to completion and returns its stdout.
func runBin(bin string, args ...string) (string, error) {
	return proc.Output(proc.Command(filepath.Join(binDir, bin), nil, args...))
}

func freeTCP() string { return mustPort(freeport.TCP()) }

func freeUDP() string { return mustPort(freeport.UDP()) }

func mustPort(addr string, err error) string {
	if err != nil {
		panic(err)
	}
	return addr
}
