# Multi-stage build: a static binary in a small non-root image.
# The builder's Go is the toolchain go.mod names (its "toolchain" line), and the build
# has no tags, like every command of the README (go run, make): one binary whatever
# builds it. deploy/deploy_test.go checks both.
FROM golang:1.26.10-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# -trimpath and stripped symbols keep local paths and debug data out of the image; they
# change no code (docs/dependencies.md).
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/consulta ./cmd/consulta \
 && mkdir -p /out/data /out/backups

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/consulta /app/consulta
COPY --from=build /src/forms /app/forms
# Owned by nonroot so that a named volume mounted there starts owned by it too:
# the embedded store's data, and the archives of the compose file's backup service.
COPY --from=build --chown=nonroot:nonroot /out/data /app/data
COPY --from=build --chown=nonroot:nonroot /out/backups /app/backups
ENV CONSULTA_ADDR=:8080 CONSULTA_DATA_DIR=/app/data CONSULTA_FORMS_DIR=/app/forms
VOLUME ["/app/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD ["/app/consulta", "healthcheck"]
ENTRYPOINT ["/app/consulta"]
CMD ["serve"]
