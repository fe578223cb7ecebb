# Throwaway PostgreSQL clusters for scripts/run, scripts/test and bench/run.
# Source this file; it defines pg_start, pg_stop and pg_url.
#
# initdb and pg_ctl refuse to run as root, so as root they run as the
# `postgres` user, who must be able to reach the data directory: when the
# checkout is somewhere `postgres` can't traverse (under /root, say), the
# cluster lives under /var/tmp instead, keyed by the requested path.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Prints the directory the cluster really lives in for a requested one.
pg_resolve_dir() {
  local wanted=$1
  mkdir -p "$wanted"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$wanted" 2>/dev/null; then
    local key
    key=$(printf '%s' "$(cd "$wanted" && pwd)" | sha256sum | cut -c1-12)
    echo "/var/tmp/leadgate-pg-$key"
  else
    (cd "$wanted" && pwd)
  fi
}

# pg_start DIR PORT DURABILITY: initialises DIR if needed and starts a server
# on 127.0.0.1:PORT with its socket in DIR. DURABILITY is "durable" (fsync
# and synchronous_commit on, as in production) or "fast" (fsync off: for
# tests that do not measure durability).
pg_start() {
  local dir port durability
  dir=$(pg_resolve_dir "$1")
  port=$2
  durability=${3:-fast}
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
  chmod 0700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    _pg_as_owner "$PG_BIN/initdb" --no-sync -A trust -E UTF8 --locale=C.UTF-8 -U postgres -D "$dir/data" >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; return 1; }
  fi
  local options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB"
  if [ "$durability" = fast ]; then
    options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  else
    options="$options -c fsync=on -c synchronous_commit=on"
  fi
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 30 start >/dev/null ||
    { tail -20 "$dir/server.log" >&2; return 1; }
}

# pg_stop DIR: stops the server if it runs (fast shutdown, no waiting for clients).
pg_stop() {
  local dir
  dir=$(pg_resolve_dir "$1")
  if [ -f "$dir/data/postmaster.pid" ]; then
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
}

# pg_url DIR PORT DATABASE: a libpq URL over the cluster's Unix socket.
pg_url() {
  local dir
  dir=$(pg_resolve_dir "$1")
  echo "postgresql://postgres@/$3?host=$dir&port=$2"
}

# pg_free_port: a TCP port nobody listens on.
pg_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
