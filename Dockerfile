# A clean Debian 12 that builds streamalloc and runs its tests with the same scripts as the
# README and CI.
FROM debian:bookworm
WORKDIR /src/streamalloc
COPY . .
RUN scripts/install-deps.sh
RUN scripts/test.sh
CMD ["scripts/run.sh"]
