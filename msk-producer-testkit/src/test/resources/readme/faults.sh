#!/usr/bin/env bash
# The README's fault-injection example; LauncherIT runs it with the standalone jar as $1.
# README:start
set -euo pipefail
JAR=${1:-msk-producer-testkit/target/msk-producer-testkit-0.1.0-SNAPSHOT-standalone.jar}
coproc MSK { exec java -jar "$JAR" --proxied --connections-max-idle-ms 3000 --topic orders:1; }
while read -r line <&"${MSK[0]}"; do     # the facts, as key=value lines, then 'ready'
  [ "$line" = ready ] && break
  case "$line" in bootstrap=*) BOOTSTRAP=${line#bootstrap=} ;; esac
done
echo "broker at $BOOTSTRAP"
# ... run the client under test against $BOOTSTRAP, then cut its connections silently:
echo "blackhole all" >&"${MSK[1]}"
read -r answer <&"${MSK[0]}"
echo "$answer"                           # ok blackhole all
kill "$MSK_PID"
wait "$MSK_PID" || true                  # exits with 143 after SIGTERM
# README:end
