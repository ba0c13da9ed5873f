# syntax=docker/dockerfile:1
# Node.js 26, the Active LTS line (security fixes until April 2029), pinned to one release on Debian 13
# (trixie), the current Debian stable. .ci/run reads this version and runs the test suite on it too.
FROM node:26.12.1-trixie-slim AS base

# Build: compile the TypeScript. No install scripts run, so no compiler is needed here; only src/ and
# adapters/ are compiled (no bench/ or test/ in this stage: see .dockerignore too).
FROM base AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts
COPY src ./src
COPY adapters ./adapters
RUN npx tsc -p tsconfig.build.json

# Production dependencies only. better-sqlite3 is a native module: it takes a prebuilt binary when one can
# be downloaded for this Node.js, and compiles itself otherwise, hence python3, make and g++ here.
FROM base AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
# Of better-sqlite3's build, only the module itself is loaded: its sources and objects (about 25 MB) go.
RUN npm ci --omit=dev \
  && npm cache clean --force \
  && cd node_modules/better-sqlite3 \
  && mv build/Release/better_sqlite3.node . \
  && rm -rf build deps src \
  && mkdir -p build/Release \
  && mv better_sqlite3.node build/Release/

# Runtime: the compiled bot, its production dependencies and the glossary; no compiler, no dev
# dependencies, no benchmarks or tests. Runs as the image's node user (uid 1000), by number so that
# Kubernetes can check runAsNonRoot.
FROM base AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/adapters ./dist/adapters
COPY package.json ./
COPY content ./content
RUN mkdir -p /app/data && chown 1000:1000 /app/data
USER 1000:1000
VOLUME ["/app/data"]
EXPOSE 3000
# `serve` runs the chat platforms the settings configure, with /healthz on PORT.
CMD ["node", "dist/src/main.js", "serve"]
