# Pulse, self-hosted: the install and start steps .ci/run and the README prove (npm ci, which
# generates the Prisma client; type-check; pulse start). Not built in CI here: these machines
# have no Docker engine. Build: docker build -t pulse .   Run with PostgreSQL: compose.yaml.
FROM node:20-slim

ENV NODE_ENV=production \
    PORT=3000 \
    PULSE_SEED_DEMO=never
WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, so a source change does not reinstall them. npm ci runs the
# postinstall (scripts/generate-client.mjs), which needs the Prisma schema and config.
COPY --chown=node:node package.json package-lock.json prisma.config.ts ./
COPY --chown=node:node scripts ./scripts
COPY --chown=node:node prisma ./prisma
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
RUN npm run typecheck

EXPOSE 3000
# bin/pulse.js runs the TypeScript through tsx (no build step) with a bounded heap; Pulse
# handles SIGTERM itself and drains in-flight work (docs/operations.md, "Shutdown").
CMD ["./bin/pulse.js", "start"]
