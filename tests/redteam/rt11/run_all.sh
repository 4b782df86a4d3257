#!/bin/sh
# Runs every round-11 class, one `veil run` session per class, one at a time; summaries in out/SUMMARY.txt.
cd "$(dirname "$0")/../../.." || exit 1
: > tests/redteam/rt11/out/SUMMARY.txt
for n in ${CLASSES:-sheets_2d bigquery_fv dynamics_odata jsonapi_kebab split_array keys_deep rfc2047 unicode_tricks \
         secrets e164_neighbors home_paths cross_fields html_attrs address_keys2 text_carriers over_redaction \
         rfc2047_utf8 rich_runs db_results customer_id_labels placements limits_edge odata_over saas_more}; do
  /work/main/.venv/bin/python tests/redteam/rt11/probe.py "$n" > "tests/redteam/rt11/out/$n.txt" 2>&1
  echo "== $n rc=$?" >> tests/redteam/rt11/out/SUMMARY.txt
  sed -n '/^per class/,$p' "tests/redteam/rt11/out/$n.txt" >> tests/redteam/rt11/out/SUMMARY.txt
done
/work/main/.venv/bin/python tests/redteam/rt11/tally.py > tests/redteam/rt11/out/BREAKDOWN.txt
