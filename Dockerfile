# syntax=docker/dockerfile:1
# ionode: multi-stage build, static binary on a distroless non-root runtime.
#   docker build -t ionode .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/ionode ./cmd/ionode
RUN mkdir -p /out/data

# distroless static: no shell, no package manager; uid 65532 (nonroot).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ionode /usr/local/bin/ionode
# The data directory (embedded store, IPFS blockstore) lives in a volume owned by the nonroot user.
COPY --from=build --chown=65532:65532 /out/data /data
ENV ION_DATA_DIR=/data ION_LISTEN=0.0.0.0:3000
WORKDIR /data
VOLUME ["/data"]
# 3000: HTTP API; 4001: libp2p swarm of the embedded IPFS node (unused with --ipfs pointing at Kubo).
EXPOSE 3000 4001
# No curl or wget in the image: the binary asks its own /readyz (address from ION_LISTEN).
HEALTHCHECK --interval=15s --timeout=6s --start-period=60s --retries=5 CMD ["/usr/local/bin/ionode", "health"]
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/ionode"]
CMD ["serve"]
