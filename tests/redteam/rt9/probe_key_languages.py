"""Field-rule keys in other languages: an 11-digit phone (readable only under a phone key), a 7-digit
customer number and an account name under German, Spanish, French, Italian, Portuguese key names, in
structuredContent. Controls in the same session: `phone`, `customerId`, `companyName`.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_key_languages.py
"""


from driver import judge, report, run, save
from values import phone_digits

ACCTS = iter(
    [
        "Bluewater Dental Group",
        "Harbor Point Roofing",
        "Maple Ridge Veterinary",
        "Summit Crest Law Offices",
        "Copper Kettle Bakery",
        "Northgate Auto Glass",
        "Silver Pine Orthodontics",
        "Lakeside Pool Supply",
        "Redwood Family Chiropractic",
        "Granite Peak Storage",
        "Seaside Yoga Loft",
        "Oakline Tile Works",
        "Brightpath Tutoring",
        "Ironwood Fitness",
        "Clearwater Optometry",
        "Sunrise Pediatric Dentistry",
        "Evergreen Landscaping Co",
        "Pinecrest Animal Clinic",
    ]
)
_c = iter(range(5931000, 5999999, 53))
KEYS = {
    "phone (control)": "P",
    "telefono": "P",
    "telefon": "P",
    "Telefonnummer": "P",
    "téléphone": "P",
    "celular": "P",
    "handynummer": "P",
    "customerId (control)": "C",
    "kundennummer": "C",
    "numero_cliente": "C",
    "numeroClient": "C",
    "companyName (control)": "A",
    "firmenname": "A",
    "nombre_empresa": "A",
    "raison_sociale": "A",
    "ragione_sociale": "A",
}


def main():
    cases = []
    for key, kind in KEYS.items():
        k = key.split(" ")[0]
        n = 1 if "control" in key else 1
        for _ in range(n):
            v = ("1" + phone_digits()) if kind == "P" else str(next(_c)) if kind == "C" else next(ACCTS)
            val = int(v) if kind == "C" else v
            cases.append(
                {
                    "cls": key,
                    "desc": f'{{"{k}": {val!r}}}',
                    "reply": {
                        "result": {
                            "content": [{"type": "text", "text": "see structured"}],
                            "structuredContent": {"record": {"id": 7, k: val}},
                        }
                    },
                    "plant": [v],
                }
            )
    _, outs, late, err = run(cases)
    save("key_languages", cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)


if __name__ == "__main__":
    main()
