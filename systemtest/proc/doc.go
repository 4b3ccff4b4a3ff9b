// Package proc runs touchpoint-hub and touchpoint-agent as processes, for
// the system tests (systemtest and its chaos suite) and the bench command: it
// builds the binaries, starts a hub node or an agent with its arguments and
// environment, appends its output to a log file, kills or stops it, and
// waits until a hub node is ready.
//
// In a test, MustStart also kills the process when the test ends and shows
// the last lines of its log if the test failed. Two environment variables
// help to study a scenario:
//
//	TOUCHPOINT_TEST_LOGS=DIR    every process's log is copied into DIR when its test ends
//	TOUCHPOINT_TEST_PPROF=FILE  every hub and agent serves pprof on a loopback port listed in FILE
package proc
