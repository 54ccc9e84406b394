# One image for the server and the worker (see docker-compose.yml). Written
# for deployment; Docker does not run on the machines Talemo is developed on.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build --if-present
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "main.ts"]
