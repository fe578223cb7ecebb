#!/bin/bash
# The image's HEALTHCHECK: GET /healthz from the leadgate process in this
# container, with bash's /dev/tcp (the image has no curl). `serve` answers on
# LEADGATE_HTTP_LISTEN, `worker` on LEADGATE_WORKER_LISTEN; which one runs is
# read from PID 1's command line (also through an init such as tini).
# Exit 0 healthy, 1 not.
set -u

listen=${LEADGATE_HTTP_LISTEN:-127.0.0.1:8080}
if [ -r /proc/1/cmdline ]; then
  mapfile -d '' args </proc/1/cmdline
  for arg in "${args[@]:1}"; do
    if [ "$arg" = worker ]; then listen=${LEADGATE_WORKER_LISTEN:-127.0.0.1:9091}; break; fi
  done
fi

port=${listen##*:}
host=${listen%:*}
host=${host#[}
host=${host%]}
case $host in
  '' | 0.0.0.0 | '*') host=127.0.0.1 ;;
  :: ) host=::1 ;;
esac

if ! { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
  echo "leadgate-healthcheck: nothing accepts connections on $host:$port"
  exit 1
fi
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
case $status in
  "HTTP/1."?" 200"*) exit 0 ;;
esac
echo "leadgate-healthcheck: $host:$port answered: ${status%$'\r'}"
exit 1
