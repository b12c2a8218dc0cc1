# linefleet runs its TypeScript sources directly on Node's built-in type stripping (Node >= 22.18),
# so the image is: production dependencies + sources, run as an unprivileged user.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN npm install --global --no-fund --no-audit pnpm@12.4.2
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch --prod
COPY . .
RUN pnpm install --offline --frozen-lockfile --prod

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app /app
USER node
EXPOSE 3000 8090 9464
# The same image runs every process; docker-compose.yml picks one per service.
CMD ["node", "apps/ingress/src/main.ts"]
