#!/usr/bin/env bash
# Creates the files from which the dev overlay's secretGenerator makes its Secrets, with random values:
#   scripts/k8s/dev-secrets.sh [--force] [DIR]     (DIR defaults to k8s/overlays/dev/secrets, which git ignores)
# The passwords of the dev stores and the URLs the services use to reach them are generated together, so they
# agree. Running it again keeps existing files (the stores' volumes were initialised with those passwords);
# --force replaces them all (then delete the stores' PersistentVolumeClaims too, or they keep the old ones).
set -euo pipefail
umask 077

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
dir="${1:-$(cd "$(dirname "$0")/../.." && pwd)/k8s/overlays/dev/secrets}"
files=(service-credential router auth users products orders cart wishlist reviews contact postgres redis mongodb)

existing=0
for name in "${files[@]}"; do [ -e "$dir/$name.env" ] && existing=$((existing + 1)); done
if [ "$force" = 0 ] && [ "$existing" = "${#files[@]}" ]; then
  echo "dev secrets already in $dir (--force to replace them)" >&2
  exit 0
fi
if [ "$force" = 0 ] && [ "$existing" != 0 ]; then
  echo "error: $dir holds some of the secret files but not all; --force replaces them all" >&2
  exit 1
fi

random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; } # 48 hex characters: URL-safe, 192 bits
mkdir -p "$dir"
chmod 700 "$dir"

redis_password="$(random)"
declare -A db_password
for service in auth users products orders wishlist reviews contact; do db_password[$service]="$(random)"; done
postgres_url() { echo "postgres://fv_$1:${db_password[$1]}@postgres:5432/fv_$1"; }
mongodb_url() { echo "mongodb://$1:${db_password[$1]}@mongodb:27017/$1?authSource=$1"; }
redis_url="redis://:$redis_password@redis:6379"

# The auth subgraph signs access tokens with Ed25519 keys: AUTH_SIGNING_KEYS is a JSON array of private JWKs
# (the first signs; all are published, so a key can be rotated by putting a new one first).
signing_keys="$(node --input-type=module -e '
  import { generateKeyPairSync, randomUUID } from "node:crypto";
  const { privateKey } = generateKeyPairSync("ed25519");
  process.stdout.write(JSON.stringify([{ ...privateKey.export({ format: "jwk" }), kid: randomUUID() }]));
')"

write() { # file, then KEY=VALUE lines
  local file="$dir/$1.env"
  shift
  printf '%s\n' "$@" > "$file.tmp"
  mv "$file.tmp" "$file"
}

write service-credential "SERVICE_CREDENTIAL=$(random)"
write router "REDIS_URL=$redis_url"
write auth "DATABASE_URL=$(postgres_url auth)" "REDIS_URL=$redis_url" "AUTH_SIGNING_KEYS=$signing_keys"
write users "DATABASE_URL=$(postgres_url users)" "REDIS_URL=$redis_url"
write products "DATABASE_URL=$(postgres_url products)" "REDIS_URL=$redis_url"
write orders "DATABASE_URL=$(postgres_url orders)" "REDIS_URL=$redis_url" "PAYMENT_WEBHOOK_SECRET=$(random)"
write cart "REDIS_URL=$redis_url"
write wishlist "MONGODB_URL=$(mongodb_url wishlist)"
write reviews "MONGODB_URL=$(mongodb_url reviews)" "REDIS_URL=$redis_url"
write contact "MONGODB_URL=$(mongodb_url contact)" "REDIS_URL=$redis_url" \
  "SMTP_HOST=smtp.floresvictoria.cl" "SMTP_TLS=starttls" \
  "SMTP_USER=flores-victoria" "SMTP_PASSWORD=$(random)" "SHOP_INBOX=contacto@floresvictoria.cl"
write postgres "POSTGRES_PASSWORD=$(random)" \
  "AUTH_DB_PASSWORD=${db_password[auth]}" "USERS_DB_PASSWORD=${db_password[users]}" \
  "PRODUCTS_DB_PASSWORD=${db_password[products]}" "ORDERS_DB_PASSWORD=${db_password[orders]}"
write redis "REDIS_PASSWORD=$redis_password"
write mongodb "MONGO_INITDB_ROOT_USERNAME=root" "MONGO_INITDB_ROOT_PASSWORD=$(random)" \
  "WISHLIST_DB_PASSWORD=${db_password[wishlist]}" "REVIEWS_DB_PASSWORD=${db_password[reviews]}" \
  "CONTACT_DB_PASSWORD=${db_password[contact]}"

echo "dev secrets written to $dir" >&2
