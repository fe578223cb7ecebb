# bench/db-cost --parts (sourced by bench/db-cost, which has started the
# cluster, migrated `bench`, built `minimal` and written the statements):
# what each part of leadgate's schema and statement costs a lead.
#
# The floor is leadgate's tables without any of the parts below (no
# secondary index on the hot path, no foreign key from jobs to leads, no
# lookup, no notification row): what is left is leadgate's columns,
# checks, CTEs and partial indexes that a new lead does not enter. Each part
# is then measured alone on top of the floor, in a copy of the migrated
# database, interleaved with the floor, the whole schema and the minimal
# one, ROUNDS times; medians. A part's cost is the time per lead it adds to
# the floor; the floor plus every part's cost should come near the whole
# schema's time, which says the parts are what the difference is made of.

rounds=${ROUNDS:-3}
n=${group_sizes%% *}  # the first group size (16 unless GROUP_SIZES says otherwise)
clients=8

# The statement without the lookups and row that parts stand for, each kept
# back in by the part that needs it.
/usr/bin/python3 - "$work" "$n" <<'PY'
import re
import sys

work, n = sys.argv[1], sys.argv[2]
statement = open(f"{work}/leadgate-{n}.sql").read()
removals = {
    "search": (r"EXISTS \(SELECT FROM leads seen.*?\) AS duplicate", "false AS duplicate"),
    "cap": (r"AND \(SELECT count\(\*\) FROM visitor_emails_last_day.*?< :p26", ""),
    "notification": (r"UNION ALL\s+SELECT 'lead_notification'.*?FROM lead WHERE lead.status = 'new'", ""),
}
for kept in ["none", *removals]:
    text = statement
    for name, (pattern, replacement) in removals.items():
        if name == kept:
            continue
        changed = re.sub(pattern, replacement, text, flags=re.S)
        if changed == text:
            sys.exit(f"db-cost --parts: insert-estimates no longer has {pattern!r}; update bench/db-cost-parts.sh")
        text = changed
    open(f"{work}/floor-{n}-with-{kept}.sql", "w").write(text)
PY

# NAME|WHAT IT SERVES|INDEXES IT KEEPS|FOREIGN KEY KEPT (fk or -)|STATEMENT (floor-N-with-X)|JOBS PER LEAD
parts=(
  "leads_newest|newest-first listings: admin, API, export|leads_newest|-|none|1"
  "leads_by_address_key|privacy export and erasure; 'has written before'|leads_by_address_key|-|none|1"
  "leads_by_message_digest + search|the duplicate-text spam signal|leads_by_message_digest|-|search|1"
  "jobs_by_lead|a lead's timeline; its e-mails on erasure|jobs_by_lead|-|none|1"
  "jobs_due_by_kind|the worker's claim of due jobs|jobs_due_by_kind|-|none|1"
  "jobs -> leads foreign key|a lead's jobs go with it (erasure, retention)||fk|none|1"
  "cap index + count|the per-address cap on visitor e-mails|jobs_visitor_emails_by_key_v2|-|cap|1"
  "the notification's job row|the sales notification's delivery state||-|notification|2"
)
droppable=(leads_newest leads_by_address_key leads_by_message_digest jobs_by_lead jobs_due_by_kind
  jobs_visitor_emails_by_key_v2)

psql -qX "$admin_url" -c "ALTER DATABASE bench IS_TEMPLATE true" >/dev/null

# measure_floor KEPT_INDEXES KEPT_FK STATEMENT JOBS_PER_LEAD: one run in a
# fresh copy of `bench` without the droppable indexes (but KEPT_INDEXES) and
# the foreign key (unless KEPT_FK is "fk").
measure_floor() {
  local kept=$1 fk=$2 statement=$3 jobs_per_lead=$4
  psql -qX "$admin_url" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS part" -c "CREATE DATABASE part TEMPLATE bench" >/dev/null
  local url index drops=()
  url=$(pg_url "$work/postgres" "$pg_port" part)
  for index in "${droppable[@]}"; do
    if [ "$index" != "$kept" ]; then drops+=("$index"); fi
  done
  local ddl
  ddl="DROP INDEX $(IFS=,; echo "${drops[*]}");"
  if [ "$fk" != fk ]; then ddl+=" ALTER TABLE jobs DROP CONSTRAINT jobs_lead_id_fkey;"; fi
  psql -qX -v ON_ERROR_STOP=1 "$url" -c "$ddl" >/dev/null
  measure part "$url" "floor-$n-with-$statement.sql" "$clients" "$n" "$jobs_per_lead"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
micros() { awk -v rate="$1" 'BEGIN {printf "%.1f", 1e6 / rate}'; }

echo "leadgate db-cost --parts — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "${duration}s per run, $clients clients, $n leads a statement, $rounds rounds interleaved, medians"
declare -A rates wals
record() { read -r rate wal <<<"$2"; rates[$1]+="$rate "; wals[$1]+="$wal "; }
for ((round = 1; round <= rounds; round++)); do
  record minimal "$(measure minimal "$minimal_url" "minimal-$n.sql" "$clients" "$n")"
  record whole "$(measure whole "$leadgate_url" "leadgate-$n.sql" "$clients" "$n")"
  record floor "$(measure_floor "" - none 1)"
  for index in "${!parts[@]}"; do
    IFS='|' read -r _ _ kept fk statement jobs_per_lead <<<"${parts[$index]}"
    record "$index" "$(measure_floor "$kept" "$fk" "$statement" "$jobs_per_lead")"
  done
done

minimal_rate=$(median <<<"${rates[minimal]}")
floor_rate=$(median <<<"${rates[floor]}")
floor_us=$(micros "$floor_rate")
row() { printf '%-34s %-50s %9s %8s %9s %7s\n' "$@"; }
ratio() { awk -v a="$minimal_rate" -v b="$1" 'BEGIN {printf "%.2f", a / b}'; }
row "" "what it serves" "leads/s" WAL/lead "µs/lead" ratio
row "minimal schema" "-" "$minimal_rate" "$(median <<<"${wals[minimal]}") B" "$(micros "$minimal_rate")" 1.00
row "floor: leadgate without the parts" "-" "$floor_rate" "$(median <<<"${wals[floor]}") B" "$floor_us" \
  "$(ratio "$floor_rate")"
sum=$floor_us
for index in "${!parts[@]}"; do
  IFS='|' read -r name what _ <<<"${parts[$index]}"
  rate=$(median <<<"${rates[$index]}")
  added=$(awk -v us="$(micros "$rate")" -v floor="$floor_us" 'BEGIN {printf "%+.1f", us - floor}')
  sum=$(awk -v s="$sum" -v a="$added" 'BEGIN {printf "%.1f", s + a}')
  row "+ $name" "$what" "$rate" "$(median <<<"${wals[$index]}") B" "$added" ""
done
whole_rate=$(median <<<"${rates[whole]}")
row "floor + every part's cost" "-" "" "" "$sum" ""
row "whole schema (measured)" "-" "$whole_rate" "$(median <<<"${wals[whole]}") B" "$(micros "$whole_rate")" \
  "$(ratio "$whole_rate")"
echo "µs/lead: 1 / leads/s (both cores, pgbench included); a part's: what it adds to the floor's." \
  "ratio: minimal ÷ leads/s (issue 23's target: at most 1.5, i.e. at most $(awk -v m="$minimal_rate" \
  'BEGIN {printf "%.1f", 1.5e6 / m}') µs/lead here)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
