#!/usr/bin/env bash
# The test Neo4j (tools/neo4j-test-server): an in-process Neo4j 5.26 Community on a free loopback
# port, with authentication (user neo4j, a fresh random password per start).
#
#   scripts/neo4j.sh build    build the server jar if its pom or source changed (cached)
#   scripts/neo4j.sh start    build, start, wait until Bolt answers; print the bolt URI
#   scripts/neo4j.sh env      print `export NEO4J_URI=... NEO4J_USER=... NEO4J_PASSWORD=...`
#   scripts/neo4j.sh status   print the URI and exit 0 when running, else exit 3
#   scripts/neo4j.sh stop     stop it (SIGTERM: a clean shutdown), then forget it
#
# State lives in $KAMGRAPH_NEO4J_STATE (default .neo4j-test/ in the tree): uri, password, pid,
# server.log. With KAMGRAPH_NEO4J_DATA=DIR the database is kept in DIR across restarts (else in a
# throw-away directory). JVM options: KAMGRAPH_NEO4J_JAVA_OPTS (default -Xmx2g: room for a
# whole import batch and the wipe of a medium portfolio).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/tools/neo4j-test-server"
jar="$project/target/neo4j-test-server.jar"
stamp="$project/target/.kamgraph-build-stamp"
state="${KAMGRAPH_NEO4J_STATE:-$root/.neo4j-test}"
wait_seconds="${KAMGRAPH_NEO4J_START_TIMEOUT:-180}"

die() { echo "neo4j.sh: $*" >&2; exit 1; }

source_hash() {
    (cd "$project" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

build() {
    command -v java >/dev/null || die "no java on PATH (run scripts/setup.sh --neo4j)"
    command -v mvn >/dev/null || die "no mvn on PATH (run scripts/setup.sh --neo4j)"
    local want
    want="$(source_hash)"
    if [ -f "$jar" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    echo "neo4j.sh: building the test server (Maven)" >&2
    rm -rf "$project/target"
    (cd "$project" && mvn -q -B package) >&2 || die "the Maven build of $project failed"
    echo "$want" >"$stamp"
}

running_pid() {
    [ -f "$state/pid" ] || return 1
    local pid
    pid="$(cat "$state/pid")"
    kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# True when a Bolt handshake on host:port gets a version back (4 bytes, not all zero).
bolt_answers() {
    local host="$1" port="$2" reply
    reply="$(
        timeout 5 bash -c '
            exec 3<>"/dev/tcp/$0/$1" || exit 1
            printf "\x60\x60\xb0\x17\x00\x00\x05\x05\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3
            head -c 4 <&3 | od -An -tx1 | tr -d " \n"
        ' "$host" "$port" 2>/dev/null
    )" || return 1
    [ -n "$reply" ] && [ "$reply" != "00000000" ]
}

start() {
    if pid="$(running_pid)"; then
        cat "$state/uri"
        return 0
    fi
    build
    mkdir -p "$state"
    rm -f "$state/uri" "$state/pid"
    local password args=()
    password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    umask 077
    printf '%s\n' "$password" >"$state/password"
    if [ -n "${KAMGRAPH_NEO4J_DATA:-}" ]; then
        mkdir -p "$KAMGRAPH_NEO4J_DATA"
        args=(--data "$KAMGRAPH_NEO4J_DATA")
    fi
    # shellcheck disable=SC2086  # the JVM options are a word list
    NEO4J_TEST_PASSWORD="$password" setsid java ${KAMGRAPH_NEO4J_JAVA_OPTS:--Xmx2g} \
        -jar "$jar" "${args[@]}" >"$state/stdout" 2>"$state/server.log" </dev/null &
    local pid=$! uri="" waited=0
    echo "$pid" >"$state/pid"
    while [ "$waited" -lt "$wait_seconds" ]; do
        kill -0 "$pid" 2>/dev/null || {
            tail -n 20 "$state/server.log" >&2
            die "the test server exited while starting (log: $state/server.log)"
        }
        uri="$(head -n 1 "$state/stdout" 2>/dev/null || true)"
        if [[ "$uri" == bolt://* ]]; then
            local hostport="${uri#bolt://}"
            if bolt_answers "${hostport%:*}" "${hostport##*:}"; then
                echo "$uri" >"$state/uri"
                echo "$uri"
                return 0
            fi
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    stop >/dev/null 2>&1 || true
    die "Bolt did not answer within ${wait_seconds}s (log: $state/server.log)"
}

stop() {
    local pid
    if pid="$(running_pid)"; then
        kill -TERM "$pid"
        for _ in $(seq 1 120); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "neo4j.sh: the test server did not stop in 60 s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$state/pid" "$state/uri" "$state/password" "$state/stdout"
}

case "${1:-}" in
    build) build ;;
    start) start ;;
    stop) stop ;;
    env)
        running_pid >/dev/null || die "the test server is not running (scripts/neo4j.sh start)"
        printf 'export NEO4J_URI=%q NEO4J_USER=neo4j NEO4J_PASSWORD=%q NEO4J_DATABASE=neo4j\n' \
            "$(cat "$state/uri")" "$(cat "$state/password")"
        ;;
    status)
        if running_pid >/dev/null && [ -f "$state/uri" ]; then
            cat "$state/uri"
        else
            echo "not running"
            exit 3
        fi
        ;;
    *)
        echo "usage: scripts/neo4j.sh build|start|env|status|stop" >&2
        exit 2
        ;;
esac
