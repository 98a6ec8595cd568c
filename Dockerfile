# syntax=docker/dockerfile:1
# The Arbor daemon. Stage 1 installs the production dependencies, which builds the native
# addons and the executor launcher (npm's install script: node-gyp and cc), and bundles the
# executor; stage 2 carries the result on a slim base and runs `npm start` as a non-root user.
# Deployment (compose, Kubernetes): docs/deploy/ and docs/cluster.md.
# Node 24 (current LTS; 20 is end-of-life): its V8 runs CPython-in-wasm faster. The workload
# corpus at concurrency 4 ran at 9.4-11.1x a python3 subprocess per program on Node 24 and
# 8.6-8.8x on Node 20 (docs/benchmarks.md, seventh run). --build-arg NODE_VERSION=20 or 22 works too.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# What `npm ci` needs, first, so the dependency layer is cached across source changes: the
# manifests (with the SDK workspace) and the sources the install script compiles.
COPY package.json package-lock.json ./
COPY sdks/typescript/package.json sdks/typescript/
COPY runtime/native runtime/native
COPY runtime/launcher runtime/launcher
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
# The executor runs confined as one bundled module; build it now (the daemon would otherwise
# build it at first start, into a directory the non-root user cannot write).
RUN node --import tsx --input-type=module -e "const { executorBundle } = await import('./runtime/src/host/confine/bundle.ts'); const r = executorBundle(); if ('error' in r) { console.error(r.error); process.exit(1); }"

FROM node:${NODE_VERSION}-bookworm-slim
# On all interfaces the daemon refuses to start without tenants: mount a config file and point
# ARBOR_CONFIG at it (docs/deploy/ has examples).
ENV NODE_ENV=production \
    ARBOR_HOST=0.0.0.0 \
    ARBOR_PORT=8787
WORKDIR /app
# Owned by root, read-only to the daemon: the daemon's user cannot change its own code.
COPY --from=build /app /app
# `node` (uid 1000) comes with the base image. As a non-root daemon, executors keep its uid
# (the uid-drop layer needs root); Landlock, seccomp and the permission model still apply.
USER node
EXPOSE 8787
CMD ["npm", "start"]
