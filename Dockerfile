# One image for both services; the command picks which one runs (docker-compose.yml overrides it):
#   auth-service (default, port 3000):  node --heap-growing-percent=20 dist/apps/auth-service/src/main.js
#   resource-service (port 3001):       node --heap-growing-percent=20 dist/apps/resource-service/src/main.js
#   operator CLI:                       node dist/apps/auth-service/src/cli.js <command>

# --- build: full Debian image (python3, make, g++ for better-sqlite3's node-gyp fallback) ---
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: slim image of the same Debian release, so the native addons' glibc matches ---
FROM node:20-bookworm-slim AS runtime
# A young generation of at most 2 x 4 MB instead of 2 x 16 MB: ~20 MB less RSS per service; the same
# flag as `npm run start:*`. The other one, --heap-growing-percent=20 (a full GC once the old generation
# is 20% over what the last one kept: ~20 MB less RSS), is not allowed in NODE_OPTIONS, so it is in
# the command (docs/performance.md, "Memory").
ENV NODE_ENV=production NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
# Code stays root-owned (read-only to the service); only the data and key folders are writable.
# DATA_DIR and KEYS_DIR default to ./data and ./keys, i.e. /app/data and /app/keys. /run/keys is the
# KEYS_DIR docker-compose.yml uses: an empty named volume copies this folder's owner on first mount,
# so the dev key can be generated there; in production a read-only secret is mounted over it.
RUN mkdir -p /app/data /app/keys /run/keys \
 && chown node:node /app/data /app/keys /run/keys \
 && chmod 0700 /app/keys /run/keys
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001
CMD ["node", "--heap-growing-percent=20", "dist/apps/auth-service/src/main.js"]
