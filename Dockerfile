FROM node:20-bookworm-slim AS source
WORKDIR /src
COPY . .
# Local state and host-built modules must not reach the image: .dockerignore keeps them out of the build context, this is belt and braces.
RUN rm -rf node_modules .data .test-data .git test/screenshots

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
# Full install: tsx compiles the TypeScript at run time, so there is no build step to drop dev dependencies after.
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY --from=source /src ./
# The workflows bundled once, at build: a worker (re)starts without webpack (issue 10 item 2).
RUN npx tsx bin/evk.ts bundle-workflows /app/workflow-bundle.js
ENV EVK_WORKFLOW_BUNDLE=/app/workflow-bundle.js
# Set after the install (npm ci would leave out tsx): `worker` and `web` refuse to start on a missing,
# published or short secret (docs/operations.md).
ENV NODE_ENV=production

RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
CMD ["npx", "tsx", "bin/evk.ts", "web"]
