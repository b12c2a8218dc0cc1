# linefleet runs its TypeScript sources directly on Node's built-in type stripping (Node >= 22.18),
# so the image is: production dependencies + sources, run as an unprivileged user.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN npm install --global --no-fund --no-audit pnpm@12.4.2
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch --prod
COPY . .
# Only what the linefleet command needs at run time: the workspace root's and the test packages'
# dependencies (playwright-core, vitest, …) are for tests and stay out of the image.
RUN pnpm install --offline --frozen-lockfile --prod --filter "linefleet..."

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app /app
USER node
EXPOSE 3000 8090 9464
# The same image runs every process; docker-compose.yml picks one per service. The commands run
# there too: `node packages/linefleet/src/cli.ts dead-letters list`, `node packages/linefleet/src/cli.ts trigger --help`.
CMD ["node", "--max-semi-space-size=16", "packages/linefleet/src/cli.ts", "ingress"]
