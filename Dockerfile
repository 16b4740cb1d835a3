# MPN Association Bot: the Teams endpoint (POST /api/messages) and GET /healthz on port 3978.
#   docker build -t mpn-association-bot .
#   docker run -p 3978:3978 --env-file .env mpn-association-bot
# Configuration is environment variables only (see .env.example and docs/deploy.md). Without
# MicrosoftAppId the bot runs in local mode and binds 127.0.0.1, which is unreachable from
# outside the container: set it (and MONGODB_URI for anything beyond a trial).

# ---- build: compile the TypeScript with the dev dependencies ----
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies and the compiled output only ----
FROM node:20-slim
ENV NODE_ENV=production \
    PORT=3978
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The embedded store (used when MONGODB_URI is unset) keeps its data in /app/.data: mount a
# volume there to keep it across containers.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--disable-warning=DEP0111", "dist/bot/index.js"]
