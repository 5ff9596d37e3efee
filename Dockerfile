FROM node:20-bookworm-slim AS source
WORKDIR /src
COPY . .
# Local state and host-built modules must not reach the image: .dockerignore keeps them out of the build context, this is belt and braces.
RUN rm -rf node_modules dist .data .test-data .git test/screenshots

# The compiled build (issue 14): tsc into dist/ with the views, locales and templates beside the code,
# and the workflows bundled once, so a worker (re)starts without webpack (issue 10 item 2).
FROM node:20-bookworm-slim AS build
ENV PUPPETEER_SKIP_DOWNLOAD=true
WORKDIR /app
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
COPY --from=source /src ./
RUN npm run build && node dist/bin/evk.js bundle-workflows /app/workflow-bundle.js

# Versity's S3 gateway over a folder (Apache-2.0), the object store of docker-compose.yml: built from
# its Go module, as `platform/dev/versitygw.ts` builds it for development. `docker build --target s3`.
FROM golang:1.25-bookworm AS versitygw
RUN CGO_ENABLED=0 GOBIN=/out go install github.com/versity/versitygw/cmd/versitygw@v1.8.0

FROM debian:bookworm-slim AS s3
COPY --from=versitygw /out/versitygw /usr/local/bin/versitygw
RUN useradd --system --uid 10001 s3 && mkdir -p /data && chown s3 /data
USER s3
VOLUME /data
EXPOSE 7070
# The root keys come from ROOT_ACCESS_KEY_ID / ROOT_SECRET_ACCESS_KEY in the environment, never the command line.
CMD ["versitygw", "--port", ":7070", "--quiet", "posix", "/data"]

FROM node:20-bookworm-slim

# Chromium prints the documents; Noto and Liberation cover Azerbaijani (ə, ğ, ş) and Cyrillic text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-core fonts-liberation ca-certificates \
 && rm -rf /var/lib/apt/lists/*

ENV PUPPETEER_SKIP_DOWNLOAD=true \
    CHROMIUM_PATH=/usr/bin/chromium \
    EVK_DATA_DIR=/data

WORKDIR /app
COPY package.json package-lock.json .puppeteerrc.cjs ./
# Only what the compiled processes load: no compiler, no test tools.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/workflow-bundle.js ./workflow-bundle.js
ENV EVK_WORKFLOW_BUNDLE=/app/workflow-bundle.js
# Set after the install: `worker` and `web` refuse to start on a missing, published or short secret (docs/operations.md).
ENV NODE_ENV=production

RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
CMD ["node", "dist/bin/evk.js", "web"]
