"""Key words in other languages, as data tables per language: a backend names its fields in its users'
language (`telefon`, `kreditkarte`, `nombre`, `steuerId`), and a key rule that knows only English words
lets those values through untouched.

Each table maps a language to the words (as `key_words` / `normalize_key` fold them: case-folded, no
separators; a word with an accent is listed with and without it) that name one thing. The scan's key
contexts (`proxy.scan.shapes`) and the person-key rule (`proxy.detect.name_keys`) read them; adding a
language is adding a row, not a case.
"""

from __future__ import annotations

# Words that name a national identification or tax number (read with the SSN shape: 7 to 9 digits).
NATIONAL_ID: dict[str, tuple[str, ...]] = {
    "en": ("nationalid", "itin", "nationalidentifier", "taxidentifier"),
    "de": (
        "sozialversicherungsnummer",
        "svnr",
        "svnummer",
        "steuerid",
        "steueridentifikationsnummer",
        "steuernummer",
        "personalausweisnummer",
    ),
    "fr": ("nir", "securitesociale", "sécuritésociale", "numerofiscal", "numérofiscal"),
    "es": ("nif", "nie", "dni", "seguridadsocial", "numeroseguridadsocial"),
    "it": ("codicefiscale", "previdenzasociale"),
}
PHONE: dict[str, tuple[str, ...]] = {
    "de": (
        "telefon",
        "telefonnummer",
        "handy",
        "handynummer",
        "mobil",
        "mobilnummer",
        "rufnummer",
        "festnetz",
    ),
    "fr": ("téléphone", "telephone", "portable", "numerodetelephone", "numérodetéléphone"),
    "es": ("telefono", "teléfono", "movil", "móvil", "celular"),
    "it": ("telefono", "cellulare"),
}
CARD: dict[str, tuple[str, ...]] = {
    "de": ("kreditkarte", "kreditkartennummer", "karte", "kartennummer", "debitkarte"),
    "fr": ("cartebancaire", "cartedecredit", "carte", "cb"),
    "es": ("tarjeta", "tarjetadecredito", "tarjetadecrédito", "numerodetarjeta"),
    "it": ("cartadicredito", "carta"),
}
# Words that name a customer's or client's number in a CRM or ERP export (`kundennummer`, `numero_cliente`,
# `numeroClient`), English included: read with the account number's shape (6 to 18 digits), whatever the
# digits, as `account` is.
CUSTOMER_NUMBER: dict[str, tuple[str, ...]] = {
    # `customerid` too: the field rule of that name (Google Ads) names a JSON key's value whatever it holds;
    # written as a label (`Customer ID: 4309451`), the word reads a CRM's customer number of any length.
    "en": (
        "customernumber",
        "customerno",
        "customernr",
        "clientnumber",
        "clientno",
        "accountnumber",
        "customerid",
        "custid",
        "custno",
        "clientid",
    ),
    "de": ("kundennummer", "kundennr", "kundenid", "kdnr", "debitorennummer", "mandantennummer"),
    "fr": ("numeroclient", "numéroclient", "numclient", "noclient", "idclient", "codeclient"),
    "es": ("numerocliente", "númerocliente", "numcliente", "idcliente", "codigocliente", "códigocliente"),
    "it": ("numerocliente", "codicecliente", "idcliente", "numcliente"),
    "pt": ("numerocliente", "númerocliente", "codigocliente", "códigocliente"),
    "nl": ("klantnummer", "klantnr", "klantid"),
}
# Words that name a company by itself (`firmenname`, `nombre_empresa`, `raison_sociale`, `ragione_sociale`):
# read as the org-role keys are (`proxy.detect.account_keys`): a value shaped like an organisation's name.
COMPANY: dict[str, tuple[str, ...]] = {
    "de": ("firma", "firmenname", "firmierung", "unternehmen", "unternehmensname", "arbeitgeber"),
    "fr": ("entreprise", "nomentreprise", "nomdelentreprise", "raisonsociale", "societe", "société",
           "nomsociete", "nomsociété", "employeur"),
    "es": ("empresa", "nombreempresa", "nombredelaempresa", "razonsocial", "razónsocial", "compania",
           "compañía"),
    "it": ("azienda", "nomeazienda", "ragionesociale", "societa", "società", "denominazione"),
    "pt": ("empresa", "nomeempresa", "nomedaempresa", "razaosocial", "razãosocial"),
    "nl": ("bedrijf", "bedrijfsnaam", "firmanaam"),
}  # fmt: skip
# Keys whose value is a person's name by themselves (`nombre`, `vorname`, `nom`).
NAME_KEYS: dict[str, tuple[str, ...]] = {
    "de": ("vorname", "nachname", "familienname", "rufname"),
    "fr": ("nom", "prenom", "prénom", "nomdefamille"),
    "es": ("nombre", "apellido", "apellidos", "nombrecompleto"),
    "it": ("nome", "cognome"),
    "pt": ("sobrenome", "nomecompleto"),
    "nl": ("voornaam", "achternaam"),
}
# Keys whose value is a person by role (`Ansprechpartner`, `kontakt`).
PERSON_ROLES: dict[str, tuple[str, ...]] = {
    "de": (
        "ansprechpartner",
        "ansprechpartnerin",
        "kontakt",
        "kontaktperson",
        "inhaber",
        "mitarbeiter",
        "kunde",
        "bearbeiter",
    ),
    "fr": ("contact", "interlocuteur", "titulaire", "responsable"),
    "es": ("contacto", "titular", "responsable"),
    "it": ("contatto", "referente", "titolare"),
}


def words(table: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """Every word of a table, over all its languages."""
    return frozenset(w for ws in table.values() for w in ws)
