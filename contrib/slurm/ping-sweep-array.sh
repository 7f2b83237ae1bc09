#!/bin/bash
# A sharded ping-sweep as a Slurm job array: task K of the array sweeps
# share K of N of the targets given to the script, into
# results/shard-K.jsonl (--resume: a requeued task continues its share).
#
#   sbatch --array=0-3 contrib/slurm/ping-sweep-array.sh 192.0.2.0/24
#   contrib/check-shards results/shard-*.jsonl    # once all tasks ended
#
# The array must count from 0 (--array=0-N-1): rustyc's shards do.
#SBATCH --job-name=rustyc-sweep
#SBATCH --output=results/slurm-%A_%a.log
#SBATCH --time=01:00:00
#SBATCH --requeue
set -euo pipefail

: "${SLURM_ARRAY_TASK_ID:?run this with sbatch --array=0-N}"
k=$SLURM_ARRAY_TASK_ID
n=${SLURM_ARRAY_TASK_COUNT:?}
mkdir -p results
# --any: a share with some silent hosts is not a failed task.
exec rustyc ping-sweep --any --shard "$k/$n" --resume "results/shard-$k.jsonl" "$@"
