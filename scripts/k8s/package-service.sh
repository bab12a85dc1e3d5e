#!/usr/bin/env bash
# Builds what one service's image runs (the Dockerfile calls this; so does test/k8s/packaging.int.test.ts):
#   scripts/k8s/package-service.sh <service> <out>
# <out>/app is `pnpm deploy --prod` of the service's package: its sources (run by tsx) and its production
# dependencies, the workspace's @fv/platform copied in, no dev dependencies, no tests. The router also gets
# <out>/schema/supergraph.graphql, where its default SUPERGRAPH_PATH (../../schema from src/) finds it.
set -euo pipefail
cd "$(dirname "$0")/../.."

service="${1:?usage: $0 <service> <out>}"
out="${2:?usage: $0 <service> <out>}"
case "$service" in
  router) package_dir=router ;;
  *) package_dir="subgraphs/$service" ;;
esac
[ -f "$package_dir/package.json" ] || { echo "error: no service named $service ($package_dir/package.json)" >&2; exit 1; }
[ ! -e "$out/app" ] || { echo "error: $out/app already exists" >&2; exit 1; }

# pnpm 10 deploys a workspace package with the shared lockfile only with inject-workspace-packages, which
# changes the lockfile; --legacy keeps it (the versions installed are still the lockfile's).
pnpm deploy --legacy --filter "@fv/$service" --prod "$out/app"
rm -rf "$out/app/test"
# pnpm also links the workspace's packages into the hoisted node_modules, pointing back into the workspace (the
# service's own package among them): links that would dangle in the image. @fv/platform is copied in, not linked.
app="$(cd "$out/app" && pwd -P)"
for link in "$app"/node_modules/.pnpm/node_modules/@fv/*; do
  [ -L "$link" ] || continue
  case "$(realpath -m "$link")" in
    "$app"/*) ;;
    *) rm "$link" ;;
  esac
done
if [ "$service" = router ]; then
  mkdir -p "$out/schema"
  cp schema/supergraph.graphql "$out/schema/supergraph.graphql"
fi
