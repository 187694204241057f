# netdev-review: compile in a full Node 20 image (node:20-bookworm ships python3, make and g++, the
# toolchain node-gyp needs when tree-sitter, tree-sitter-c or better-sqlite3 have no prebuilt binary),
# then run on node:20-bookworm-slim (same Debian release, so the compiled .node files match its glibc).
# See docs/deploy.md.

FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY rules ./rules
COPY bench ./bench
COPY bin ./bin
# `npm ci` builds the native modules and runs `prepare` (tsc -> dist/, esbuild -> dist/cli/); then drop the dev dependencies.
RUN npm ci
RUN test -f dist/src/server.js && test -f dist/src/cli.js && test -f dist/cli/cli.js
RUN npm prune --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
# npm does not pass SIGTERM on to the server (it stops `sh -c`, which leaves node running): run with an
# init (`docker run --init`, compose `init: true`) and let it signal the whole process group, so
# `docker stop` reaches the server's SIGTERM handler (closes the store cleanly).
ENV NODE_ENV=production \
    TINI_KILL_PROCESS_GROUP=1 \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# The app's files stay root-owned (read-only for the runtime user); only DATA_DIR is writable.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY examples ./examples
# `docker run IMAGE netdev-review check - < my.patch` keeps working next to the server.
RUN ln -s /app/bin/netdev-review.js /usr/local/bin/netdev-review \
 && mkdir -p /data \
 && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# No curl on slim: Node 20's fetch probes GET /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "start"]
