# MockS3 as `npm start` runs it: the six services, the front door and the sidecar.
#
# Two stages. `deps` installs the production packages only (npm ci --omit=dev: no vitest,
# TypeScript, Biome, drizzle-kit, s3rver or AWS SDK test clients); its npm cache stays there.
# The image takes node_modules from it and the sources, and bundles the workers itself: that
# needs only production packages (wrangler, esbuild, tsx — npm start bundles again when a
# source changed), and doing it on the very files the container runs keeps the bundles'
# manifest valid, since it records each source's size and time (sidecars/stack/worker-manifest.ts).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# the workers bundled once here, so that a container's start does not
RUN node --import tsx sidecars/stack/build-workers.ts
ENV MOCKS3_HOST=0.0.0.0 \
    MOCKS3_DATA_DIR=/data
EXPOSE 8080-8085 8090
CMD ["npm", "start"]
