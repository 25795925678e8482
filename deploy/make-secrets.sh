#!/bin/sh
# Writes the secrets compose.yaml mounts, into deploy/secrets/, with openssl:
#   mongo_keyfile         the replica set members' shared key (internal authentication)
#   mongo_admin_password  MongoDB's administrator (root), created once by mongo-init
#   mongo_app_password    Consulta's MongoDB user (readWrite on its database only)
#   secret_key            CONSULTA_SECRET_KEY, the same for every replica
# An existing file is never replaced: these are set once (mongo-init signs in with
# the administrator's password it set the first time; sessions depend on the key).
# The directory is its owner's only (0700); the files in it are 0444, because the
# container users that mount them (mongodb 999, nonroot 65532) are not its owner.
set -eu
dir=$(dirname "$0")/secrets
umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

write_secret() { # name, command writing the secret on stdout
	name=$1
	shift
	if [ -e "$dir/$name" ]; then
		echo "kept $dir/$name"
		return
	fi
	"$@" >"$dir/$name.tmp"
	chmod 0444 "$dir/$name.tmp"
	mv "$dir/$name.tmp" "$dir/$name"
	echo "wrote $dir/$name"
}

write_secret mongo_keyfile openssl rand -base64 756
write_secret mongo_admin_password openssl rand -hex 24
write_secret mongo_app_password openssl rand -hex 24
write_secret secret_key openssl rand -hex 32
