#!/bin/sh
# touchpoint-agent postremove (deb: remove | purge | upgrade ...; rpm: $1 =
# 0 erase, 1 upgrade). Removing keeps the data and the account; purging a
# .deb removes the default data directory and its encryption key (rpm has
# no purge: run `touchpoint-agent uninstall --purge` first).
set -e
case "$1" in
  purge)
    rm -rf /var/lib/touchpoint/agent /var/lib/touchpoint/agent.key
    rmdir /var/lib/touchpoint 2>/dev/null || true
    ;;
esac
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
