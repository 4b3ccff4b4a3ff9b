// Package installer holds what lies between a built binary and a running
// service at a dealership: the service definition shared by Windows and
// Linux (kardianos/service), and the commands that install, start, stop
// and remove it.
package installer
