# Multi-stage build of sogs-server and sogs-admin. Queries are checked against the committed
# .sqlx/ data, so no database is needed at build time.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
ENV SQLX_OFFLINE=true
RUN cargo build --release --locked -p sogs-server -p sogs-admin

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data sogs && mkdir /data && chown sogs /data
COPY --from=build /src/target/release/sogs-server /src/target/release/sogs-admin /usr/local/bin/
USER sogs
VOLUME /data
ENV SOGS__SERVER__DATA_DIR=/data SOGS__SERVER__LISTEN=0.0.0.0:3000
EXPOSE 3000
ENTRYPOINT ["sogs-server"]
