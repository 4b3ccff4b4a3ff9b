#!/bin/sh
# touchpoint-agent preremove (deb: remove | upgrade ...; rpm: $1 = 0 erase,
# 1 upgrade). Stops the service only when the package goes away: an
# upgrade restarts it from the new package's postinstall.
set -e
case "$1" in
  remove|0)
    if [ -d /run/systemd/system ]; then
      systemctl stop touchpoint-agent.service >/dev/null 2>&1 || true
      systemctl disable touchpoint-agent.service >/dev/null 2>&1 || true
    fi
    ;;
esac
exit 0
