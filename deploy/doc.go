// Package deploy holds no code: its directory is the Docker Compose deployment
// (compose.yaml, compose.tls.yaml, the Caddyfile, mongo-init.js and the scripts
// that make secrets and test certificates), and its tests check those files and
// the repository's Dockerfile, since no Docker engine runs where they are tested
// (docs/operations.md).
package deploy
