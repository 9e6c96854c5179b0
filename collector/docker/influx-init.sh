#!/bin/sh
# One-shot InfluxDB init (the `influxdb-init` service of docker-compose.yml, run with the influx CLI
# of the influxdb:2.7 image). Least privilege: it creates
#   - a write-only token on the bucket for the collector  -> /tokens/collector/influx-token
#   - a read-only token on the bucket for the site builder -> /tokens/builder/influx-token
# each on its own volume, readable only by uid 1000 (the `node` user of the Node images).
# The admin token from .env is used by this script only. Idempotent: a token file whose token still
# exists in InfluxDB is kept, so restarts and `docker compose up` again change nothing.
set -eu

: "${INFLUX_HOST:?}" "${INFLUX_TOKEN:?}" "${INFLUX_ORG:?}" "${INFLUX_BUCKET:?}" "${INFLUX_USER:?}"
export INFLUX_HOST INFLUX_TOKEN INFLUX_ORG
APP_UID="${APP_UID:-1000}"
TOKENS_DIR="${TOKENS_DIR:-/tokens}"

# The setup of the influxdb service may still be running when its healthcheck first passes.
i=0
until bucket_id=$(influx bucket list --name "$INFLUX_BUCKET" --hide-headers 2>/dev/null | awk 'NR==1 {print $1}') \
  && [ -n "$bucket_id" ]; do
  i=$((i + 1))
  if [ "$i" -ge 30 ]; then
    echo "influxdb-init: bucket '$INFLUX_BUCKET' not found in org '$INFLUX_ORG' at $INFLUX_HOST after 60 s;" \
      "check DOCKER_INFLUXDB_INIT_ADMIN_TOKEN, INFLUX_ORG and INFLUX_BUCKET in .env" >&2
    exit 1
  fi
  sleep 2
done

# Tokens are shown in full by `auth list` for the admin in InfluxDB 2.7: used to check a kept token.
# (The CLI prints JSON indented with tabs: `<tab>"token": "..."`.)
known_tokens=$(influx auth list --json)

# ensure_token <file> <description> <flag>: keeps a valid token file or creates a new token.
ensure_token() {
  file=$1 description=$2 flag=$3
  if [ -s "$file" ] && printf '%s' "$known_tokens" | grep -qF "\"token\": \"$(cat "$file")\""; then
    echo "influxdb-init: $description token kept ($file)"
  else
    token=$(influx auth create --user "$INFLUX_USER" --description "$description" "$flag" "$bucket_id" --json \
      | sed -n 's/^[[:space:]]*"token":[[:space:]]*"\([^"]*\)".*/\1/p')
    if [ -z "$token" ]; then
      echo "influxdb-init: could not create the $description token" >&2
      exit 1
    fi
    umask 077
    printf '%s\n' "$token" > "$file.tmp"
    chown "$APP_UID:$APP_UID" "$file.tmp"
    chmod 0400 "$file.tmp"
    mv -f "$file.tmp" "$file" # atomic: readers see the old or the new token, never half
    echo "influxdb-init: $description token created ($file)"
  fi
  chown "$APP_UID:$APP_UID" "$(dirname "$file")"
  chmod 0700 "$(dirname "$file")"
}

ensure_token "$TOKENS_DIR/collector/influx-token" "heatpump collector (write-only, bucket $INFLUX_BUCKET)" --write-bucket
ensure_token "$TOKENS_DIR/builder/influx-token" "heatpump site builder (read-only, bucket $INFLUX_BUCKET)" --read-bucket
