"""Text shaped like a token that this session never issued: refused on its way to the client.

A token (`[[ENTITY:id]]`) is left as it is wherever it stands in a message toward the client: the proxy's own
answers (an approval prompt, a query over a stored result, a page) carry the session's tokens, and a field
rule must not wrap a token in another. A backend never receives a token (they are detokenized on the way
in), so one in a backend's message was made there: and the entity part (`[[PHONE_13124706655:…]]`,
`[[PERSON_HENRIKE_OKONKWO:…]]`) or the base32 id can carry any value past every detector. So a token-shaped
run the session's vault does not hold (`SessionVault.issued`, in memory) refuses the message, fail closed.
Only strings holding `[[` are looked at (a substring test per unique string).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from proxy.errors import InvalidMessage
from vault.tokens import TOKEN_RE


def refuse_forged(texts: Iterable[str], issued: Callable[[str], bool]) -> None:
    """Raise InvalidMessage if any of `texts` holds a token-shaped run that `issued` does not know."""
    for text in texts:
        if "[[" not in text:
            continue
        for m in TOKEN_RE.finditer(text):
            if not issued(m.group()):
                raise InvalidMessage(
                    "mcp-veil blocked this message: it holds text shaped like a token that this session "
                    "never issued (a backend cannot have a real one)"
                )
