# syntax=docker/dockerfile:1
# Multi-stage build. Targets:
#   web    (default) — the Next.js standalone server: `node server.js`
#   tools  — full sources and production dependencies: the worker (`npm run worker`)
#            and one-off commands such as `npm run db:migrate`
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS tools
# PostgreSQL client majors for `npm run db:backup` / `db:restore`: pg_dump must be at least the
# server's major, and pg_restore of a newer major writes settings an older server refuses, so
# the backup tool picks the client matching the server from /usr/lib/postgresql/<N>/bin.
# Debian bookworm ships only 15; the others come from the PostgreSQL project's apt repository.
ARG PG_CLIENT_MAJORS="15 16 17 18"
# Debian's ffmpeg and ffprobe (current, and executable by the unprivileged user) rather than the
# static 2018 builds the npm packages carry.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 FFMPEG_PATH=/usr/bin/ffmpeg FFPROBE_PATH=/usr/bin/ffprobe
# ffmpeg splits long recordings for transcription; tini reaps processes and forwards signals.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends $(for major in ${PG_CLIENT_MAJORS}; do echo "postgresql-client-${major}"; done) \
 && apt-get purge -y curl && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1001 --create-home maneiro
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/lib ./lib
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/prisma ./prisma
USER maneiro
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["npm", "run", "worker"]

FROM ${NODE_IMAGE} AS web
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000 FFMPEG_PATH=/usr/bin/ffmpeg FFPROBE_PATH=/usr/bin/ffprobe
# The web process reads a recording's duration (ffprobe) before accepting a transcription and joins
# resumed browser recordings (ffmpeg).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1001 maneiro
WORKDIR /app
COPY --from=build --chown=maneiro /app/.next/standalone ./
COPY --from=build --chown=maneiro /app/.next/static ./.next/static
COPY --from=build --chown=maneiro /app/public ./public
COPY --from=build --chown=maneiro /app/prisma/migrations ./prisma/migrations
USER maneiro
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server.js"]
