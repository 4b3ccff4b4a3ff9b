// Package installer holds what lies between a built binary and a running
// service at a dealership: the agent's config file (agent.toml), the
// service definition rendered for systemd and the Windows service manager
// (kardianos/service), the program wrapper that runs the agent under
// either, and the install and uninstall steps. Packages are built by
// installer/packaging; installer/demo is the local demo. DESIGN.md says
// why it is shaped this way.
package installer
