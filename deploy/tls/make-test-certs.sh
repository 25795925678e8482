#!/bin/sh
# Test certificates for compose.tls.yaml, made with openssl: a certificate authority
# of its own (tls/ca.pem) and, for each MongoDB node, its certificate and key in one
# file (tls/mongo1.pem...), valid for the node's name, localhost and 127.0.0.1 (the
# health checks), for servers and clients (the nodes connect to each other with it).
# For tests only: in production the operator's own authority issues them, into the
# same files (docs/operations.md, "TLS to MongoDB"). Existing files are kept.
set -eu
dir=$(dirname "$0")
cd "$dir"
if [ -e ca.pem ]; then
	echo "tls/ca.pem exists: remove tls/*.pem first to make new test certificates" >&2
	exit 1
fi
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=365

openssl req -x509 -newkey rsa:2048 -nodes -days "$days" -subj "/CN=Consulta test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null

for node in mongo1 mongo2 mongo3; do
	cat >"$work/$node.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:$node,DNS:localhost,IP:127.0.0.1
EXT
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$node" \
		-keyout "$work/$node.key" -out "$work/$node.csr" 2>/dev/null
	openssl x509 -req -days "$days" -in "$work/$node.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
		-set_serial "0x$(openssl rand -hex 16)" -extfile "$work/$node.ext" -out "$work/$node.crt" 2>/dev/null
	cat "$work/$node.crt" "$work/$node.key" >"$node.pem"
	chmod 0444 "$node.pem" # read by mongod's user (999) in the containers
	echo "wrote tls/$node.pem"
done
cp "$work/ca.pem" ca.pem
chmod 0444 ca.pem
echo "wrote tls/ca.pem (the authority's key is not kept: make new ones to add a node)"
