# MockS3 as `npm start` runs it: the six services, the front door and the sidecar.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# the workers bundled once here, so that a container's start does not (see worker-manifest.ts)
RUN node --import tsx sidecars/stack/build-workers.ts
ENV MOCKS3_HOST=0.0.0.0 \
    MOCKS3_DATA_DIR=/data
EXPOSE 8080-8085 8090
CMD ["npm", "start"]
