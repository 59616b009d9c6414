#!/bin/sh
# Container entrypoint of a course peer (docker-compose.yml):
#   course-peer.sh N <peer arguments after the key-values file...>
# Lays out /srv/peerN with key-values-files_peerN and the chunk files it names (from the course data mounted at
# /course: Chunks/ and Key-values-files/), then runs `peer 10.0.0.N:500N /srv/peerN/key-values-files_peerN ...`.
set -eu
n=$1; shift
course=${COURSE_DIR:-/course}
dir=${PEER_DIR:-/srv/peer$n}
mkdir -p "$dir"
cp "$course/Key-values-files/key-values-files_peer$n" "$dir/"
tr -d '\r' <"$dir/key-values-files_peer$n" | while IFS= read -r line || [ -n "$line" ]; do
    name=$(printf '%s' "${line#*:}" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    [ -z "$name" ] || cp "$course/Chunks/$name" "$dir/$name"
done
exec peer "${PEER_ADDRESS:-10.0.0.$n:$((5000 + n))}" "$dir/key-values-files_peer$n" "$@"
