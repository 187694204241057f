# netdev-review: build with the toolchain native modules may need, run on a slim Node 20.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY rules ./rules
COPY bench ./bench
COPY bin ./bin
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY examples ./examples
USER node
# The CLI for now: `docker run --rm -i netdev-review check - < my.patch`.
ENTRYPOINT ["node", "bin/netdev-review.js"]
CMD ["--help"]
