#!/bin/sh
# Runs every round-10 class, one `veil run` session per class, one at a time; summaries in out/SUMMARY.txt.
cd "$(dirname "$0")/../../.." || exit 1
: > tests/redteam/rt10/out/SUMMARY.txt
for n in names_intl names_intl_b phones_intl emails_spellings literal_escapes gmail_api ical saas_records ad_ids \
         address_formats over_redaction surname_refs html_names messaging_phones ip_logs address_keys campaign_over \
         names_lower_fields caps_names outlook_lists e164_noplus cid_in_names comma_names emails_locale_obf conn_strings e164_labelled; do
  /work/main/.venv/bin/python tests/redteam/rt10/probe.py "$n" > "tests/redteam/rt10/out/$n.txt" 2>&1
  echo "== $n rc=$?" >> tests/redteam/rt10/out/SUMMARY.txt
  sed -n '/^per class/,$p' "tests/redteam/rt10/out/$n.txt" >> tests/redteam/rt10/out/SUMMARY.txt
done
