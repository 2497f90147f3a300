#!/usr/bin/env bash
# Measures maillint on a generated fleet of mail configs against
# `grep -rl smtp`, `cat` of every file and bench/readall (a Go walk that
# only reads every file: the cost of the I/O alone),
# warm cache. Wall time with hyperfine when installed (apt-get install
# hyperfine), else the best of a few runs of /usr/bin/time; peak RSS from
# /usr/bin/time -v. Linearity: the same on a quarter of the fleet.
#
#   bench/run.sh                 # 5,000 hosts, 20,000 files
#   HOSTS=1000 JOBS=4 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

hosts=${HOSTS:-5000}
jobs=${JOBS:-$(nproc)}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/maillint" ./cmd/maillint
go build -o "$work/readall" ./bench/readall
go run ./bench/genfleet -hosts "$hosts" "$work/fleet" >/dev/null
go run ./bench/genfleet -hosts "$((hosts / 4))" "$work/quarter" >/dev/null
files=$(find "$work/fleet" -type f | wc -l)
bytes=$(du -sb "$work/fleet" | cut -f1)
echo "fleet: $hosts hosts, $files files, $((bytes / 1024 / 1024)) MiB (apparent, with folders); jobs: $jobs; CPUs: $(nproc)"

ml="$work/maillint --jobs $jobs --format json"
cmds=(
  "$ml $work/fleet"
  "grep -rl smtp $work/fleet"
  "find $work/fleet -type f -exec cat {} +"
  "$ml $work/quarter"
  "$work/readall $work/fleet"
)
names=("maillint" "grep -rl smtp" "cat (all files)" "maillint, 1/4 fleet" "walk + read only (Go)")

# Warm the page cache.
find "$work" -type f -exec cat {} + >/dev/null

declare -a mean
if command -v hyperfine >/dev/null; then
  hyperfine --style basic --warmup 1 --runs "$runs" -i --export-csv "$work/h.csv" "${cmds[@]}" >&2
  mapfile -t mean < <(tail -n +2 "$work/h.csv" | cut -d, -f2)
else
  for i in "${!cmds[@]}"; do
    best=
    for _ in $(seq "$runs"); do
      /usr/bin/time -f %e -o "$work/t" ${cmds[$i]} >/dev/null 2>&1 || true
      t=$(tail -1 "$work/t")
      best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN{print (a<b)?a:b}')
    done
    mean[$i]=$best
  done
fi

printf '\n%-22s %10s %12s %14s %12s\n' "command" "time (s)" "files/s" "CPU u+s (s)" "peak RSS"
for i in "${!cmds[@]}"; do
  n=$files
  [ "$i" = 3 ] && n=$(find "$work/quarter" -type f | wc -l)
  /usr/bin/time -v -o "$work/t" ${cmds[$i]} >/dev/null 2>&1 || true
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.1f MB", $2/1024}' "$work/t")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u+s}' "$work/t")
  printf '%-22s %10.3f %12.0f %14s %12s\n' "${names[$i]}" "${mean[$i]}" "$(awk -v n="$n" -v t="${mean[$i]}" 'BEGIN{print n/t}')" "$cpu" "$rss"
done
awk -v a="${mean[0]}" -v g="${mean[1]}" -v q="${mean[3]}" 'BEGIN{
  printf "\nmaillint / grep: %.2fx   full / quarter fleet: %.2fx (4.00 = linear)\n", a/g, a/q }'
