"""The canaries of the detector self-test: for each recognizer, a made-up text it must find its entity in.

Every value is fictitious (reserved example domains and number ranges, well-known test card and IBAN
numbers, a name from the lexicons). They are never shown in an error: a failure names the recognizer and
the entity type only.
"""

from __future__ import annotations

PROSE_NAME = "Yesterday I spoke to Maria Gonzalez about the renewal."

# recognizer name -> (canary text, the entity type it must report in it)
CANARIES: dict[str, tuple[str, str]] = {
    "EmailRecognizer": ("Write to jane.roe@example.com today", "EMAIL_ADDRESS"),
    "VeilEmailRecognizer": ("Write to jane.roe@example.com today", "EMAIL_ADDRESS"),
    "PhoneRecognizer": ("Call +1 415 555 0134 now", "PHONE_NUMBER"),
    "VeilPhoneRecognizer": ("Call +1 415 555 0134 now", "PHONE_NUMBER"),
    "CreditCardRecognizer": ("Card 4111111111111111 on file", "CREDIT_CARD"),
    "IbanRecognizer": ("IBAN DE89370400440532013000 ok", "IBAN_CODE"),
    "IpRecognizer": ("From 192.168.10.23 yesterday", "IP_ADDRESS"),
    "UsSsnRecognizer": ("SSN 536-90-4399", "US_SSN"),
    "GoogleAdsCustomerIdRecognizer": ("Customer ID 123-456-7890", "GOOGLE_ADS_CUSTOMER_ID"),
    "AdAccountIdRecognizer": ("Property properties/123456789 linked", "ACCOUNT_NUMBER"),
    "SitePropertyRecognizer": ("Verified sc-domain:example.com today", "SITE_URL"),
    "VeilLabeledValueRecognizer": ("phone: 658 42 54 71", "PHONE_NUMBER"),
    "NationalPhoneRecognizer": ("Call 06 12 34 56 78 tomorrow", "PHONE_NUMBER"),
    "E164DigitsPhoneRecognizer": ("WhatsApp wa_id 447400123456", "PHONE_NUMBER"),
    "GroupedCardRecognizer": ("card 4111-1111-1111-1111", "CREDIT_CARD"),
    "LooseIbanRecognizer": ("iban de89 3704 0044 0532 0130 00", "IBAN_CODE"),
    "ContextSsnRecognizer": ("ssn 536904399", "US_SSN"),
    "VeilAadhaarRecognizer": ("Aadhaar 2345 6789 0124", "IN_AADHAAR"),
    "VeilNinoRecognizer": ("NI number AB 12 34 56 C", "UK_NINO"),
    "VeilPanRecognizer": ("PAN: ABCPE1234F", "IN_PAN"),
    "VeilTfnRecognizer": ("TFN 123 456 782", "AU_TFN"),
    "VeilPeselRecognizer": ("PESEL 44051401359", "PL_PESEL"),
    "VeilFiscalCodeRecognizer": ("codice fiscale RSSMRA85T10A562S", "IT_FISCAL_CODE"),
    "VeilNifRecognizer": ("DNI 12345678Z", "ES_NIF"),
    "VeilNieRecognizer": ("NIE X1234567L", "ES_NIE"),
    "VeilNhsNumberRecognizer": ("NHS number 943 476 5919", "UK_NHS"),
    "UserinfoSecretRecognizer": ("Server=db;User Id=app;Password=Zq7rT2vw;", "SECRET"),
    "VeilPersonRecognizer": (PROSE_NAME, "PERSON"),
    "VeilLabeledNameRecognizer": ("Owner: Maria Gonzalez", "PERSON"),
    "VeilGreetingNameRecognizer": ("Hi Maria,", "PERSON"),
    "VeilLexiconNameRecognizer": ("MARIA GONZALEZ", "PERSON"),
    "VeilStandaloneNameRecognizer": ("Maria Gonzalez", "PERSON"),
    "VeilMentionNameRecognizer": ("ping @maria.gonzalez please", "PERSON"),
    "VeilCsvNameColumnRecognizer": ("name,email\nMaria Gonzalez,x", "PERSON"),
    "VeilAccountLabelRecognizer": ("Account: Brightwater Plumbing LLC", "ACCOUNT_NAME"),
    "VeilTitledNameRecognizer": ("Dr. Huong Ngo", "PERSON"),
    "VeilVcardNameRecognizer": ("N:Gonzalez;Maria;;;", "PERSON"),
    "VeilDnNameRecognizer": ("CN=Gonzalez\\, Maria,OU=Sales,DC=example,DC=com", "PERSON"),
    "VeilLoginNameRecognizer": ("dn: uid=mgonzalez,ou=people,dc=example,dc=com", "PERSON"),
    "VeilSystemLoginNameRecognizer": ("Logon failure for CORP\\mgonzalez", "PERSON"),
    "VeilUserinfoNameRecognizer": ("postgres://mgonzalez:pw@db.example.com/app", "PERSON"),
    "VeilIdentifierNameRecognizer": ("https://example.com/in/maria-gonzalez-4b2a19", "PERSON"),
    "VeilPathFolderNameRecognizer": ("/Shared/HR/Maria Gonzalez/contract.pdf", "PERSON"),
    "VeilNameSlotRecognizer": ("author: maria gonzalez <mgonzalez@example.com>", "PERSON"),
    "VeilInvertedListNameRecognizer": ("To: Gonzalez, Maria; Okonkwo, Henrike", "PERSON"),
    "VeilTravelNameRecognizer": ("GONZALEZ/MARIA MS", "PERSON"),
    "VeilSignoffCellNameRecognizer": ("Thanks,\n— M. Gonzalez", "PERSON"),
    "VeilSpacyRecognizer": (PROSE_NAME, "PERSON"),  # the NER pipeline itself
}
