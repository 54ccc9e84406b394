# One image for the server and the worker (see docker-compose.yml). Written
# for deployment; Docker does not run on the machines Talemo is developed on,
# so this file has not been built here.
FROM node:20-bookworm-slim
WORKDIR /app

# Production dependencies only (tsx, which runs the TypeScript, and vite,
# which builds the PWA, are among them).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

COPY . .
# Build the PWA into client/dist now, so containers start without building.
RUN node client/scripts/ensure-client-build.mjs

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    TALEMO_DATA_DIR=/var/lib/talemo
RUN mkdir -p /var/lib/talemo && chown node:node /var/lib/talemo
VOLUME ["/var/lib/talemo"]
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "main.ts"]
