"""Keys and text labels that hold a person: `owner`, `displayName`, `createdBy`; `Owner:`, `From:`."""

from __future__ import annotations

import re
from functools import lru_cache

from proxy.detect.name_parts import is_part_key
from proxy.detect.name_words import words_of
from proxy.policy import key_vocab, normalize_key

# A key whose last part is one of these holds a person (`owner`, `accountManager`, `salesRep`).
_PERSON_ROLES = frozenset(
    words_of("""owner owners assignee assignees contact contacts manager managers rep reps representative
    author
    authors creator reporter requester requestor sender recipient recipients attendee attendees organizer
    organiser reviewer reviewers approver approvers employee agent salesperson person people member members
    customer user assignedto lead admin administrator editor publisher signatory submitter host speaker
    teacher student patient doctor physician nurse driver buyer seller tenant landlord guest holder
    cardholder beneficiary payee sponsor""")
) | key_vocab.words(key_vocab.PERSON_ROLES)
# `<part>Name` is a person's name only after these (`displayName`, `firstName`; not `campaignName`).
_PERSON_NAME_QUALIFIERS = _PERSON_ROLES | frozenset(
    words_of("first last given family middle full display nick maiden sur legal preferred real birth by")
)
# Words that qualify a role in a key written as one word (`accountowner`, `salesrep`, `createdby`).
_ROLE_QUALIFIERS = frozenset(
    words_of("""account sales deal project case ticket task lead primary secondary technical billing support
    client customer site store team assigned created modified updated approved reviewed requested
    submitted owned last first display full contact""")
)
_BARE_NAME_KEYS = frozenset(
    words_of("name names first last given family middle surname forename fullname displayname nickname")
) | key_vocab.words(key_vocab.NAME_KEYS)
# `createdBy`, `updated_by`, `sent-by`: someone did it.
_BY = "by"
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def _key_parts(key: str) -> list[str]:
    return [p.casefold() for chunk in re.split(r"[\W_]+", key) for p in _CAMEL.findall(chunk)]


@lru_cache(maxsize=4096)
def is_name_key(key: str) -> bool:
    """Whether a key's short string value may be a bare person name (`owner`, `displayName`, `createdBy`).

    Judged by the key's last word: a role (`accountManager`), `name` after a person word or alone
    (`contactName`, `name`; not `campaignName`), or `by` (`lastModifiedBy`). `ownerEmail` and `managerId`
    end in another word and are not name keys.
    """
    if normalize_key(key) in _BARE_NAME_KEYS or is_part_key(key):
        return True
    parts = _key_parts(key)
    if not parts:
        return False
    last = parts[-1]
    if len(parts) == 1:
        parts = _compound_parts(last)
        last = parts[-1]
    if last in _PERSON_ROLES:
        return True
    if last == _BY and len(parts) >= 2:
        return True
    if last in ("name", "names"):
        return len(parts) == 1 or parts[-2] in _PERSON_NAME_QUALIFIERS
    return False


def _compound_parts(word: str) -> list[str]:
    """`accountowner` → `account`, `owner`; `createdby` → `created`, `by`; `salesrepname` → `salesrep`,
    `name`: a one-word key read as a qualifier and a role (or `by`, or `name`)."""
    for tail in (*_PERSON_ROLES, _BY, "name"):
        head = word[: -len(tail)]
        if len(head) >= 2 and word.endswith(tail):
            if head in _ROLE_QUALIFIERS or head in _PERSON_ROLES:
                return [head, tail]
            inner = _compound_parts(head)
            if len(inner) > 1 and tail == "name" and inner[-1] in _PERSON_NAME_QUALIFIERS:
                return [*inner, tail]
    return [word]


# A text label before a name that is no key word: mail headers (`Reply-To`, `Sender`), sign-off lines, and
# the person properties of vCard (`FN`, `NICKNAME`) and iCalendar (the `CN` parameter of `ORGANIZER`,
# `ATTENDEE`), and the person attributes of LDAP (`sn`: the surname, `givenName`; RFC 4519).
_LABEL_WORDS = frozenset(
    words_of("from to cc bcc sender attn attention signed with fn cn nickname sn givenname")
)


def is_name_label(label: str) -> bool:
    """A label before `:` or `=` in text that introduces a person (`Owner`, `Account manager`, `Prepared
    by`, `From`, `Reply-To`, `CN`): the key rule, plus mail-header and vCard/iCalendar words."""
    words = label.split()
    return bool(words) and (is_name_key(label) or words[-1].casefold().rsplit("-", 1)[-1] in _LABEL_WORDS)
