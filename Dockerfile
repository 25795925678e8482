# Multi-stage build: a static binary in a small non-root image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The release build, with a cache of its own, leaves FerretDB's PostgreSQL backend out
# (the tag) and local paths and symbols too; make and go run share one untagged build
# instead (docs/dependencies.md).
RUN CGO_ENABLED=0 go build -tags ferretdb_no_postgresql -trimpath -ldflags="-s -w" -o /out/consulta ./cmd/consulta \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/consulta /app/consulta
COPY --from=build /src/forms /app/forms
COPY --from=build --chown=nonroot:nonroot /out/data /app/data
ENV CONSULTA_ADDR=:8080 CONSULTA_DATA_DIR=/app/data CONSULTA_FORMS_DIR=/app/forms
VOLUME ["/app/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD ["/app/consulta", "healthcheck"]
ENTRYPOINT ["/app/consulta"]
CMD ["serve"]
