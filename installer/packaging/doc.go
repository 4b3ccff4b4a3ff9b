// Package packaging turns built agent binaries into what a dealership's IT
// person installs: a .deb and an .rpm (built with nfpm) carrying the
// systemd unit, the default config file and scripts that create the
// service account, and a Windows .msi (built with wixl from msitools)
// that registers the service and its event log source. Sign adds an
// Authenticode signature with osslsigncode. The service definitions come
// from package installer, so the packages install exactly what
// `touchpoint-agent install` would.
package packaging
