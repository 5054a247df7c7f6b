# syntax=docker/dockerfile:1
# Multi-stage build: the frontend with Node, a static Go binary, and a
# minimal non-root runtime image with a volume for the embedded database.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
COPY frontend/scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY graph/*.graphqls /src/graph/
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/contactgate .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/contactgate /contactgate
# The embedded SQLite database lives here when DATABASE_URL is not set.
VOLUME ["/data"]
# DEMO=false: an image never ships the demo sign-ins (their passwords are
# public); create the first staff user with `create-staff`.
ENV ADDR=0.0.0.0:8080 DATA_DIR=/data DEMO=false
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/contactgate"]
CMD ["serve"]
