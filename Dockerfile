# One image per service, from the same file:
#   docker build --build-arg SERVICE=products -t registry.example.com/flores-victoria/products:0.1.0 .
# SERVICE is router, auth, users, products, orders, cart, wishlist, reviews or contact. The image runs the
# service's TypeScript with tsx (a production dependency of every service) as the non-root user 10001, from
# the output of `pnpm deploy --prod` (scripts/k8s/package-service.sh): no dev dependencies, no tests, no pnpm.
# Pin the base image by digest in the release pipeline (node:20.20.2-bookworm-slim@sha256:…).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION=10.34.9
RUN npm install --global "pnpm@${PNPM_VERSION}"
WORKDIR /src
# The package store is filled from the lockfile alone: this layer is rebuilt only when a dependency changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "--build-arg SERVICE=<router|auth|users|…> is required" >&2; exit 1; }
RUN bash scripts/k8s/package-service.sh "${SERVICE}" /srv

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="flores-victoria-${SERVICE}" \
      org.opencontainers.image.source="https://github.com/flores-victoria/supergraph"
# Nothing installs packages at run time: drop npm, npx, corepack and yarn. tsx reads the user's name, so the
# user exists in /etc/passwd.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm \
      /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
ENV NODE_ENV=production
WORKDIR /srv/app
# Owned by root and read-only to the service (the pods also mount the root filesystem read-only; /tmp is an
# emptyDir, where tsx keeps its cache).
COPY --from=build /srv /srv
USER 10001:10001
CMD ["node", "--import", "tsx", "src/main.ts"]
