#!/usr/bin/env bash
# Make sure the PostgreSQL server binaries are installed, so the store's PostgreSQL tests run:
# their fixture (tests/unit/store/conftest.py) starts a throwaway cluster from `initdb` and
# `pg_ctl` on 127.0.0.1 and deletes it afterwards. Installs Debian's `postgresql` package when
# run as root and the binaries are missing; otherwise says what to do. Exit status: 0 when the
# binaries are there (or were installed), 1 when they are not (the tests will then skip).
set -euo pipefail

find_binaries() {
  local dir
  # Newest major version first (/usr/lib/postgresql/<major>/bin).
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5nr); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

if dir="$(find_binaries)"; then
  echo "postgres-for-tests: server binaries in $dir"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "postgres-for-tests: installing the postgresql package" >&2
  apt-get update -qq
  # The package may also create its own cluster on port 5432; the tests do not use it.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  if dir="$(find_binaries)"; then
    echo "postgres-for-tests: server binaries in $dir"
    exit 0
  fi
fi
echo "postgres-for-tests: no PostgreSQL server binaries; install them (Debian: apt-get install" \
  "postgresql) or set STEWARD_TEST_POSTGRES_URL, else the PostgreSQL tests skip" >&2
exit 1
