#!/bin/sh
# touchpoint-agent postinstall (deb: configure; rpm: $1 = 1 install, 2 upgrade).
# Creates the service account and the data directory, enables the unit,
# and restarts an enrolled agent so an upgrade runs the new binary.
set -e
user=touchpoint
datadir=/var/lib/touchpoint/agent
case "$1" in
  abort-*) exit 0 ;;
esac
if ! getent passwd "$user" >/dev/null 2>&1; then
  shell=/usr/sbin/nologin
  [ -x "$shell" ] || shell=/sbin/nologin
  useradd --system --user-group --home-dir /var/lib/touchpoint --no-create-home --shell "$shell" "$user"
fi
install -d -m 0755 /var/lib/touchpoint
install -d -m 0700 -o "$user" -g "$user" "$datadir"
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
  systemctl enable touchpoint-agent.service >/dev/null 2>&1 || true
  if [ -f "$datadir/agent.json" ]; then
    systemctl restart touchpoint-agent.service || true
  fi
fi
if [ ! -f "$datadir/agent.json" ]; then
  echo "touchpoint-agent: enrol this PC with: sudo touchpoint-agent install --hub HUB:7443 --token TOKEN"
fi
exit 0
