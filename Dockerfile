# The peer, client and p2ptrace executables in a small runtime image (used by docker-compose.yml).
#   docker build -t p2p-chunks:local .
# Build stage: the official Swift image (the toolchain the project is developed with, 6.3); runtime: the same
# Debian release, slim, with the Swift runtime linked statically (glibc must not be older than the builder's).
# Other toolchains: docker build --build-arg SWIFT_IMAGE=swift:6.2-bookworm .
# The build links zlib, ISA-L (libisal-dev: the default trace writer's igzip) and libpcap (p2ptrace import and
# capture); the runtime stage needs their shared libraries: zlib1g, libisal2, libpcap0.8.
# Scripts/docker/check-runtime-stage.sh runs the runtime stage's lines in a debootstrapped bookworm (no container
# engine needed) and checks that a peer serves a client there.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends zlib1g-dev libisal-dev libpcap-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift Package.resolved* ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product peer \
    && swift build -c release --static-swift-stdlib --product client \
    && swift build -c release --static-swift-stdlib --product p2ptrace \
    && mkdir /out && cp .build/release/peer .build/release/client .build/release/p2ptrace /out/

FROM ${RUNTIME_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends zlib1g libisal2 libpcap0.8 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /usr/local/bin/
COPY Scripts/docker/course-peer.sh /usr/local/bin/course-peer
RUN chmod +x /usr/local/bin/course-peer && mkdir -p /traces /out
WORKDIR /out
CMD ["peer", "--help"]
