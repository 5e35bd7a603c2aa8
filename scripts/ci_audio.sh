#!/usr/bin/env bash
# A PulseAudio server for the audio test (tests/ui/voice/test_qt_audio.py) on a machine with no
# sound card: a null sink to play into and a pipe source (a FIFO) to record a tone from.
#   scripts/ci_audio.sh start DIR   installs pulseaudio when missing (root, Debian/Ubuntu),
#                                   starts it, writes DIR/env (PULSE_SERVER, PRESTO_AUDIO_FIFO, ...)
#   scripts/ci_audio.sh stop DIR    stops that daemon by its PID
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?state directory}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

install_pulseaudio() {
    command -v pulseaudio >/dev/null && command -v pactl >/dev/null && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "ci_audio: pulseaudio is missing (install it, or run as root on Debian/Ubuntu)" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    for attempt in 1 2 3; do
        if apt-get install -y --no-install-recommends pulseaudio pulseaudio-utils >/dev/null; then
            return 0
        fi
        echo "ci_audio: apt-get install failed (attempt $attempt); updating the lists" >&2
        apt-get update -qq || sleep 5
    done
    return 1
}

start() {
    install_pulseaudio
    export XDG_RUNTIME_DIR="$dir/runtime"  # the daemon's socket, PID file and state live here
    export HOME="$dir/home"                # (root's own may be missing or shared)
    mkdir -p "$XDG_RUNTIME_DIR" "$HOME"
    chmod 700 "$XDG_RUNTIME_DIR"
    local socket="$XDG_RUNTIME_DIR/native"
    # As root, PulseAudio warns that it is meant for --system but runs a per-user daemon fine;
    # -n: no default.pa (no hardware to probe), only the modules below.
    pulseaudio -D --exit-idle-time=-1 -n --disallow-exit --log-target=file:"$dir/pulse.log" \
        --load="module-null-sink sink_name=null" \
        --load="module-native-protocol-unix socket=$socket auth-anonymous=1"
    export PULSE_SERVER="unix:$socket"
    for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
    pactl info >/dev/null
    pactl load-module module-pipe-source source_name=mic file="$dir/mic.fifo" \
        format=s16le rate=24000 channels=1 >/dev/null
    pactl set-default-sink null
    pactl set-default-source mic
    local pid
    pid=$(cat "$XDG_RUNTIME_DIR/pulse/pid")
    cat >"$dir/env" <<ENV
export PULSE_SERVER=unix:$socket
export PRESTO_AUDIO_FIFO=$dir/mic.fifo
export PRESTO_PULSE_PID=$pid
ENV
    echo "ci_audio: PulseAudio $pid at $socket (sink null, source mic <- $dir/mic.fifo)"
}

stop() {
    [ -f "$dir/env" ] || return 0
    local pid
    pid=$(sed -n 's/^export PRESTO_PULSE_PID=//p' "$dir/env")
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        echo "ci_audio: PulseAudio $pid stopped"
    fi
    rm -f "$dir/env"
}

"$cmd"
