# One image per app from a shared build stage:
#   docker build --target gateway -t slipway-gateway .   (deployer, config-store, telemetry likewise)
FROM node:24-bookworm-slim AS build
WORKDIR /slipway
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --loglevel=error
COPY tsconfig.json nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
RUN node scripts/build.js && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:24-bookworm-slim AS runtime
WORKDIR /slipway
ENV NODE_ENV=production
COPY --from=build /slipway/node_modules ./node_modules
COPY --from=build /slipway/dist ./dist
COPY package.json ./
USER node

FROM runtime AS gateway
EXPOSE 8080
ENV SLIPWAY_HOST=0.0.0.0
CMD ["node", "--enable-source-maps", "dist/apps/gateway/src/main.js"]

FROM runtime AS deployer
CMD ["node", "--enable-source-maps", "dist/apps/deployer/src/main.js"]

FROM runtime AS config-store
CMD ["node", "--enable-source-maps", "dist/apps/config-store/src/main.js"]

FROM runtime AS telemetry
CMD ["node", "--enable-source-maps", "dist/apps/telemetry/src/main.js"]
