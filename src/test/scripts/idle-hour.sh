#!/bin/bash
# An hour of idle polling at the default settings (docs/PERFORMANCE.md, "Start-up and footprint"):
# the embedded default (AGENT_TYPE=all) and a cloud and a local agent on clones of one bare remote,
# reading the embedded mailbox over IMAP, all from the packaged jar with -Xmx256m. Prints RSS and heap
# in use every 5 minutes. Run after `mvn -q package -DskipTests`:  src/test/scripts/idle-hour.sh [minutes]
set -eu
MINUTES=${1:-60}
JAR=$(cd "$(dirname "$0")/../../.." && pwd)/target/digitalfte.jar
D=$(mktemp -d)
trap 'for n in all cloud local; do [ -f "$D/$n.pid" ] && kill "$(cat "$D/$n.pid")" 2>/dev/null; done' EXIT
git init -q --bare -b main "$D/remote.git"
git clone -q "$D/remote.git" "$D/seed" 2>/dev/null
(cd "$D/seed" && echo "# Handbook" > Company_Handbook.md && git add -A \
  && git -c user.name=idle -c user.email=idle@localhost commit -qm vault && git push -q origin main)
start() { # name, then the agent's environment
  local name=$1; shift
  mkdir -p "$D/$name"
  (cd "$D/$name" && exec env "$@" java -Xmx256m -jar "$JAR" > "$D/$name.log" 2>&1) &
  echo $! > "$D/$name.pid"
}
start all AGENT_TYPE=all AGENT_NAME=all VAULT_PATH="$D/all/vault" SMTP_PORT=13025 IMAP_PORT=13143 CHANNELS_DIR="$D/none"
until grep -q "DigitalFTE started" "$D/all.log" 2>/dev/null; do sleep 1; done
# a first mail creates the owner's mailbox (login = password = address in the embedded mailbox)
printf 'Subject: Hello\nMessage-ID: <idle-1@example.com>\n\nHello\n' \
  | curl -s smtp://127.0.0.1:13025 --mail-from owner@example.com --mail-rcpt owner@example.com -T -
git clone -q "$D/remote.git" "$D/cloud-vault"; git clone -q "$D/remote.git" "$D/local-vault"
mail="MAIL_PROVIDER=imap MAIL_SSL=false IMAP_HOST=127.0.0.1 IMAP_PORT=13143 SMTP_HOST=127.0.0.1 SMTP_PORT=13025"
mail="$mail MAIL_ADDRESS=owner@example.com MAIL_USERNAME=owner@example.com MAIL_PASSWORD=owner@example.com CHANNELS_DIR=$D/none"
# shellcheck disable=SC2086
start cloud $mail AGENT_TYPE=cloud AGENT_NAME=cloud VAULT_PATH="$D/cloud-vault" GIT_REMOTE=origin
# shellcheck disable=SC2086
start local $mail AGENT_TYPE=local AGENT_NAME=local VAULT_PATH="$D/local-vault" GIT_REMOTE=origin
echo "minute: RSS / heap used, per agent (logs in $D)"
for ((m = 0; m <= MINUTES; m += 5)); do
  [ "$m" -gt 0 ] && sleep 300
  line="$m:"
  for n in all cloud local; do
    pid=$(cat "$D/$n.pid")
    rss=$(awk '/VmRSS/{print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo "?")
    heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9)
    line="$line $n ${rss} MB / $(( ${heap:-0} / 1024 )) MB;"
  done
  echo "$line"
done
