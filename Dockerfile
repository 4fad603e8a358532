# syntax=docker/dockerfile:1
# One image for all four services; docker-compose.yml picks the service with `command`, e.g.
#   node dist/apps/ingest/src/main.js   (or sla, escalation, ops; dist/apps/escalation/src/migrate.js)

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, compile TypeScript to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused until they change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# ---- runtime: production dependencies, compiled code and the policy file only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config ./config
# The official image's unprivileged user (uid 1000); the app only reads /app.
USER node
EXPOSE 3000 3001 3002 3003
CMD ["node", "dist/apps/ingest/src/main.js"]
