#!/bin/bash
# Spike 17 (README.md, section 6): the in-process corpus (faults-in-exec.mjs) with nothing, a
# user-space busy loop, an idle executor's poll (spinner.mjs) or a stat() loop on the other vCPU,
# alternating, 3 rounds; prints Σ exec and Σ reset of each run.
#   bash spikes/17-cpu-split/neighbours.sh
cd "$(dirname "$0")/../.."
for r in 1 2 3; do
  for cond in none busy spinner syscalls; do
    case $cond in
      busy) node -e "const t=Date.now(); while(Date.now()-t<60000){}" & P=$! ;;
      spinner) node --import tsx spikes/17-cpu-split/spinner.mjs 60 2>/dev/null & P=$! ;;
      syscalls) node -e "const fs=require('fs'); const t=Date.now(); while(Date.now()-t<60000){ fs.statSync('/'); }" & P=$! ;;
      none) P= ;;
    esac
    sleep 1.5
    out=$(node --import tsx spikes/17-cpu-split/faults-in-exec.mjs dirty 2>&1 | tail -1)
    [ -n "$P" ] && kill $P 2>/dev/null
    wait 2>/dev/null
    echo "$r $cond: $(echo "$out" | grep -o 'exec sum [0-9]* ms') $(echo "$out" | grep -o 'reset sum [0-9]* ms')"
  done
done
