#!/usr/bin/env bash
# Checks the Dockerfile's runtime stage as closely as a machine without a container engine allows: the binaries are
# built as the build stage builds them, a minimal Debian of the runtime image's release is bootstrapped
# (debootstrap, cached), the runtime stage's own RUN and COPY lines are executed in it with chroot (so exactly the
# packages the Dockerfile names are installed), then a course peer (through the image's course-peer entrypoint) and
# a client run inside, on the loopback of a network namespace of their own; the client must save the chunk the
# peer serves, byte for byte, and p2ptrace must replay their traces.
#
#   Scripts/docker/check-runtime-stage.sh                 # as root; builds peer, client, p2ptrace as the image does
#   Scripts/docker/check-runtime-stage.sh --bin-dir DIR   # uses binaries built already (--static-swift-stdlib)
#
# Exit status: 0 passed, 1 failed, 77 skipped (not root, or the Debian archive unreachable; the reason is printed).
# The bootstrapped system and the result of the stage's first RUN lines (its apt-get install) are cached under
# P2P_BOOTSTRAP_CACHE (default /var/cache/p2p-chunks), keyed by the text of those lines; the mirror is
# P2P_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCKERFILE=$ROOT/Dockerfile
cache=${P2P_BOOTSTRAP_CACHE:-/var/cache/p2p-chunks}
mirror=${P2P_DEBIAN_MIRROR:-http://deb.debian.org/debian}
course=${COURSE_DIR:-$ROOT/../shared/fixtures/course}

say() { echo "check-runtime-stage: $*" >&2; }
skip() { say "skipped: $*"; exit 77; }
fail() { say "FAILED: $*"; exit 1; }

# The Dockerfile's instructions, one a line (continuations joined, comments and blank lines left out).
instructions() {
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$DOCKERFILE" | grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$'
}
# The instructions of the build stage (first FROM) and of the runtime stage (last FROM), without the FROM lines.
build_stage() { instructions | awk '/^FROM /{n++; next} n==1'; }
runtime_stage() { instructions | awk -v last="$(instructions | grep -c '^FROM ')" '/^FROM /{n++; next} n==last'; }

# Runs a shell command in the root folder $1 as a RUN line does (/bin/sh -c), with /proc mounted for it only.
run_in() {
    local root=$1 command=$2
    unshare --mount --propagation private bash -c 'mount -t proc proc "$1/proc" && exec chroot "$1" /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive \
        /bin/sh -c "$2"' run-in "$root" "$command"
}

# Executes a COPY instruction of the runtime stage into $1: `--from=build` sources come from $2 (the build output).
copy_in() {
    local root=$1 out=$2 line=$3 from= source target
    read -r -a words <<<"${line#COPY }"
    if [[ ${words[0]} == --from=* ]]; then from=${words[0]#--from=}; words=("${words[@]:1}"); fi
    ((${#words[@]} == 2)) || fail "COPY with ${#words[@]} arguments is not handled here: $line"
    source=${words[0]} target=$root${words[1]}
    if [[ -n $from ]]; then
        [[ $source == /out/ ]] || fail "COPY --from=$from of $source: only the build stage's /out/ is known here"
        mkdir -p "$target" && cp -a "$out/." "$target"
    else
        mkdir -p "$(dirname "$target")" && cp -a "$ROOT/$source" "$target"
    fi
}

# The first lines of the runtime stage that are RUN lines (its package installation), executed in a copy of the
# bootstrapped system once and cached by their text, as an image layer would be.
runtime_layer() {
    local base=$1 lines key layer
    lines=$(runtime_stage | awk '!/^RUN /{exit} {print}')
    [[ -n $lines ]] || fail "the runtime stage does not start with a RUN line (its apt-get install)"
    key=$(printf '%s\n' "$lines" | sha256sum | cut -c1-12)
    layer=$base-layer-$key
    if [[ ! -e $layer/.complete ]]; then
        say "runtime layer $layer: $(printf '%s' "$lines" | tr '\n' ';')"
        rm -rf --one-file-system "$layer.tmp" && cp -a "$base" "$layer.tmp"
        cp /etc/resolv.conf "$layer.tmp/etc/resolv.conf"
        while IFS= read -r line; do
            run_in "$layer.tmp" "${line#RUN }" >&2 || fail "the runtime stage's line failed in $layer.tmp: $line"
        done <<<"$lines"
        touch "$layer.tmp/.complete" && mv "$layer.tmp" "$layer"
    fi
    echo "$layer"
}

# Bootstraps the runtime image's Debian release into the cache, once.
bootstrap() {
    local suite=$1 base=$cache/$1
    if [[ ! -e $base/.complete ]]; then
        wget -q --spider --timeout=15 "$mirror/dists/$suite/Release" ||
            skip "debootstrap cannot reach the Debian archive ($mirror/dists/$suite/Release)"
        say "debootstrap --variant=minbase $suite $base ($mirror)"
        mkdir -p "$cache" && rm -rf --one-file-system "$base.tmp"
        # In a mount namespace of its own: the /proc it mounts in the target cannot outlive it.
        unshare --mount --propagation private debootstrap --variant=minbase "$suite" "$base.tmp" "$mirror" \
            >"$cache/debootstrap-$suite.log" 2>&1 ||
            fail "debootstrap failed; its log: $cache/debootstrap-$suite.log"
        touch "$base.tmp/.complete" && mv "$base.tmp" "$base"
    fi
    echo "$base"
}

# Builds peer, client and p2ptrace with the build stage's own `swift build` lines into $1/out.
build_as_the_image_does() {
    local work=$1 scratch=${P2P_DOCKER_SCRATCH:-$ROOT/.build-docker} command products=()
    mkdir -p "$work/out"
    while IFS= read -r command; do
        [[ -n $command ]] || continue
        read -r -a words <<<"$command"
        say "${words[*]} --scratch-path $scratch"
        (cd "$ROOT" && "${words[@]}" --scratch-path "$scratch" >&2) || fail "the image's build failed: $command"
        products+=("$(sed -n 's/.*--product \([^ ]*\).*/\1/p' <<<"$command")")
    done < <(build_stage | grep '^RUN ' | sed 's/^RUN //; s/&&/\n/g' |
        sed -n 's/^[[:space:]]*\(swift build .*[^ ]\)[[:space:]]*$/\1/p')
    ((${#products[@]})) || fail "no 'swift build' line in the Dockerfile's build stage"
    read -r -a words <<<"$(build_stage | grep -o 'swift build [^&]*' | head -1)"
    local bin
    bin=$(cd "$ROOT" && "${words[@]}" --scratch-path "$scratch" --show-bin-path)
    for product in "${products[@]}"; do cp "$bin/$product" "$work/out/"; done
}

# Inside a mount namespace: the stage's remaining lines over an overlay of the layer, then the peer and the client.
inside() {
    local layer=$1 work=$2 root=$2/root
    mkdir -p "$work/upper" "$work/overlay-work" "$root"
    if ! mount -t overlay overlay -o "lowerdir=$layer,upperdir=$work/upper,workdir=$work/overlay-work" "$root" \
        2>/dev/null; then
        cp -a "$layer/." "$root"
    fi
    local line
    while IFS= read -r line; do
        case $line in
            RUN\ *) run_in "$root" "${line#RUN }" || fail "the runtime stage's line failed: $line" ;;
            COPY\ *) copy_in "$root" "$work/out" "$line" ;;
            WORKDIR\ * | CMD\ * | ENTRYPOINT\ * | ENV\ * | EXPOSE\ * | LABEL\ *) ;;
            *) fail "a runtime stage instruction this check does not handle: $line" ;;
        esac
    done < <(runtime_stage | awk 'f || !/^RUN /{f=1; print}')
    mkdir -p "$root/course" && cp -a "$course/." "$root/course/"
    mount -t proc proc "$root/proc"
    unshare --net "$0" --pair "$root" "$work"
}

# Runs a command in the image's root folder $1 as the container would, from its WORKDIR /out. Every step execs the
# next, so a command started in the background has the pid that `$!` gives.
in_image() {
    local root=$1
    shift
    exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        /bin/sh -c 'cd /out && exec "$@"' in-image "$@"
}

# In a network namespace of its own: course peer 1 (through the image's course-peer entrypoint) on 127.0.0.1:5001,
# and a client asking it for its first chunk.
course_pair() {
    local root=$1 work=$2 kv chunk name peer deadline
    ip link set lo up
    kv=$root/course/Key-values-files/key-values-files_peer1
    chunk=$(tr -d '\r' <"$kv" | sed -n '1s/^\([0-9]*\):.*/\1/p')
    name=$(tr -d '\r' <"$kv" | sed -n '1s/^[0-9]*:[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/\1/p')
    (in_image "$root" env PEER_ADDRESS=127.0.0.1:5001 COURSE_DIR=/course course-peer 1 --trace-dir /traces/p1 \
        >"$work/peer.log" 2>&1) &
    peer=$!
    deadline=$((SECONDS + 20))
    until ss -Hlun 'sport = :5001' | grep -q 5001; do
        kill -0 "$peer" 2>/dev/null || fail "the peer ended at start in the image: $(cat "$work/peer.log")"
        ((SECONDS < deadline)) || fail "the peer did not bind 127.0.0.1:5001 within 20 s: $(cat "$work/peer.log")"
        sleep 0.2
    done
    (in_image "$root" client 127.0.0.1:5001 "$chunk" --output-dir /out/client --trace-dir /traces/client \
        >"$work/client.log" 2>&1) || fail "the client failed in the image: $(cat "$work/client.log")"
    kill -TERM "$peer" && wait "$peer" || fail "the peer did not stop cleanly on SIGTERM: $(cat "$work/peer.log")"
    cmp "$root/out/client/chunk$chunk.m4s" "$root/course/Chunks/$name" ||
        fail "the client did not save chunk $chunk as the peer serves it: $(cat "$work/client.log")"
    (in_image "$root" p2ptrace replay /traces >"$work/replay.txt" 2>&1) ||
        fail "p2ptrace replay failed in the image: $(cat "$work/replay.txt")"
    grep -q "$chunk" "$work/replay.txt" || fail "p2ptrace replay does not show chunk $chunk: $(cat "$work/replay.txt")"
    say "in the image: the client saved chunk $chunk ($name) from course-peer 1; p2ptrace replayed the traces"
}

main() {
    if [[ ${1:-} == --inside ]]; then shift; inside "$@"; return; fi
    if [[ ${1:-} == --pair ]]; then shift; course_pair "$@"; return; fi
    [[ $(id -u) -eq 0 ]] || skip "needs root (debootstrap, mount, chroot, a network namespace)"
    command -v debootstrap >/dev/null || skip "debootstrap is not installed (Scripts/install-deps.sh installs it)"
    local suite layer base started=$SECONDS
    suite=$(sed -n 's/^ARG RUNTIME_IMAGE=debian:\([a-z]*\)\(-slim\)\{0,1\}$/\1/p' "$DOCKERFILE")
    [[ -n $suite ]] || fail "no 'ARG RUNTIME_IMAGE=debian:<release>[-slim]' line in the Dockerfile"
    [[ -d $course/Chunks ]] || fail "no course data at $course (set COURSE_DIR to the folder with Chunks/)"
    base=$(bootstrap "$suite")
    layer=$(runtime_layer "$base")
    say "bootstrap and runtime layer ready after $((SECONDS - started)) s"
    work=$(mktemp -d /tmp/p2p-runtime-stage.XXXXXX)
    trap 'rm -rf --one-file-system "${work:?}"' EXIT
    if [[ ${1:-} == --bin-dir ]]; then
        mkdir -p "$work/out" && cp "$2/peer" "$2/client" "$2/p2ptrace" "$work/out/"
    else
        build_as_the_image_does "$work"
    fi
    say "packages the runtime stage installed: $(runtime_stage | sed -n 's/.*apt-get install \([^&]*\).*/\1/p' |
        tr ' ' '\n' | grep -v '^-' | xargs)"
    unshare --mount --propagation private "$0" --inside "$layer" "$work"
    say "passed in $((SECONDS - started)) s"
}

main "$@"
