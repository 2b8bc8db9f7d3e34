#!/usr/bin/env bash
# bdm-vs-peers.sh: runs the Scholz code (dmasad's Python 3 port of jmckib's
# bdm_scholz_model.py) on every published BDM data set in data/bargain/bdm/, writes the runs
# to OUT_DIR in the layout of data/bargain/reference/bdm/, compares them with the shipped
# reference runs, and runs `bloc validate`, whose BDM checks compare bloc with them.
#
# usage: scripts/bdm-vs-peers.sh PEER_DIR [OUT_DIR]
#   PEER_DIR  a checkout of the public repository dmasad/bdm-scholz-expected-utility-model
#             (standard-library Python 3; nothing to install)
#   OUT_DIR   where to write the runs (default: a temporary directory)
# To refresh the shipped references, pass OUT_DIR=data/bargain/reference/bdm.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
peer=${1:?usage: $0 PEER_DIR [OUT_DIR]}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
for table in "$repo"/data/bargain/bdm/*; do
  name=$(basename "${table%.*}")
  python3 "$repo/scripts/bdm_peer_reference.py" "$peer" "$table" 10 > "$out/$name.jmckib.json"
  if cmp -s "$out/$name.jmckib.json" "$repo/data/bargain/reference/bdm/$name.jmckib.json"; then
    echo "$name: same as the shipped reference"
  else
    echo "$name: DIFFERS from the shipped reference ($out/$name.jmckib.json)"
  fi
done
cargo build --release -q -p bloc-cli
"$repo/target/release/bloc" validate | grep -E "bargain/|passed"
