"""Carriers: a value detected only by the label beside it (an undashed SSN: nine bare digits are
documented as undetected without an SSN word; a 7-digit customerId: only a field rule names it), in
configuration, serialization and markup formats carried in a tool's text. Control in the same session:
the plain JSON `{"ssn": "…"}` / `{"customerId": …}` text.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_formats.py
"""

import random
import sys
from collections import defaultdict

from driver import judge, report, run, save
from values import ssn, text

R = random.Random(77)

FORMATS = {
    "kv-aws-tag Key/Value": '{{"Tags": [{{"Key": "ssn", "Value": "{v}"}}]}}',
    "kv-key-value-lower": '{{"key": "ssn", "value": "{v}"}}',
    "kv-attribute-value": '{{"attribute": "ssn", "value": "{v}"}}',
    "kv-fieldName-fieldValue": '{{"fieldName": "ssn", "fieldValue": "{v}"}}',
    "kv-label-text": '{{"label": "SSN", "text": "{v}"}}',
    "kv-id-val": '{{"id": "ssn", "val": "{v}"}}',
    "kv-name-content": '{{"name": "SSN", "content": "{v}"}}',
    "kv-custom-fields-jira": '{{"customfield_10042": {{"name": "SSN"}}, "value": "{v}"}}',
    "kv-hubspot-property": '{{"property": "ssn", "value": "{v}"}}',
    "kv-name-value (documented control)": '{{"name": "SSN", "value": "{v}"}}',
    "control-json": '{{"ssn": "{v}"}}',
    "toml-table": '[client]\nname = "x"\nssn = "{v}"',
    "toml-dotted-int": "client.ssn = {v}",
    "ini-upper": "[client]\nSSN={v}",
    "properties": "client.ssn={v}",
    "dotenv": "CLIENT_SSN={v}",
    "xml-attribute": '<client id="7" ssn="{v}"/>',
    "yaml-nested": "client:\n  name: x\n  ssn: {v}",
    "yaml-flow": "{{ssn: {v}}}",
    "php-serialized": 'a:1:{{s:3:"ssn";s:9:"{v}";}}',
    "python-repr": "{{'ssn': '{v}', 'id': 7}}",
    "http-header": "X-Client-SSN: {v}",
    "graphql-args": 'query {{ client(ssn: "{v}") {{ id }} }}',
    "sql-where": "SELECT id FROM clients WHERE ssn = '{v}'",
    "lua-table": '{{ ssn = "{v}" }}',
    "ruby-hash": '{{:ssn => "{v}"}}',
    "edn": '{{:client/ssn "{v}"}}',
    "sexpr": '(client (ssn "{v}"))',
    "csv-semicolon": "name;ssn\nx;{v}",
    "markdown-bold-label": "**SSN**: {v}",
    "html-dt-dd": "<dl><dt>SSN</dt><dd>{v}</dd></dl>",
    "html-td-pair": "<table><tr><td>SSN</td><td>{v}</td></tr></table>",
    "kv-field-data": '{{"field": "ssn", "data": "{v}"}}',
    "kv-k-v": '{{"k": "ssn", "v": "{v}"}}',
    "kv-pair-array": '[["ssn", "{v}"]]',
    "schemaorg-propertyvalue": '{{"@type": "PropertyValue", "propertyID": "SSN", "value": "{v}"}}',
    "protobuf-struct": 'fields {{ key: "ssn" value {{ string_value: "{v}" }} }}',
    "dynamodb-json": '{{"ssn": {{"S": "{v}"}}}}',
    "key-tin": '{{"tin": "{v}"}}',
    "key-taxpayer-id": '{{"taxpayer_id": "{v}"}}',
    "key-national-id": '{{"national_id": "{v}"}}',
}


def main():
    want = sys.argv[1:] or list(FORMATS)
    cases = []
    for f in want:
        for k in range(3):
            v = ssn()
            t = FORMATS[f].format(v=v)
            cases.append({"cls": f, "desc": t.replace("\n", "\\n"), "reply": text(t), "plant": [v]})
    _, outs, late, err = run(cases)
    save("formats", cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)
    tally = defaultdict(lambda: [0, 0])
    for v, c, _o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")


if __name__ == "__main__":
    main()
