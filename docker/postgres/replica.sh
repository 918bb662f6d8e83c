#!/bin/bash
# db-replica: on first start, copy the primary (pg_basebackup -R writes the standby settings),
# then run as a hot standby that streams the primary's WAL.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -p 5432 -q; do sleep 1; done
  pg_basebackup -h db -p 5432 -U replicator -D "$PGDATA" -R -X stream -c fast
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
