"""Class `terminal-codes`: a value with terminal control sequences inside or around it, as command-line tools
and log pipelines write it (`123-\\e[1m45\\e[0m-6789`): colours and styles (SGR, 7-bit and 8-bit CSI), cursor
and erase codes, window titles and OSC 8 hyperlinks (BEL or ST terminated; a link's hidden target may be the
value itself), charset and keypad escapes.

A terminal shows the value whole; the judge reads it as a terminal does (`tests.classes.readings`).
"""

from __future__ import annotations

from random import Random

from tests.classes.case import Case, call
from tests.classes.layers import _carry
from tests.classes.planting import reliable_value, sentence

_ESC, _CSI8, _BEL, _ST = "\x1b", "\x9b", "\x07", "\x1b\\"


def _sgr(rng: Random) -> str:
    params = rng.choice(["", "0", "1", "4", "22", "31", "1;31", "38;5;208", "38;2;255;99;71", "48;5;17"])
    return f"{_ESC}[{params}m" if rng.random() < 0.85 else f"{_CSI8}{params}m"


def _sequence(rng: Random) -> str:
    """One control sequence a terminal prints as nothing."""
    kind = rng.choice(["sgr", "sgr", "sgr", "csi", "title", "link", "charset", "private"])
    if kind == "sgr":
        return _sgr(rng)
    if kind == "csi":
        return _ESC + "[" + rng.choice(["K", "0K", "2K", "1J", "s", "u", "?25l", "?25h", "?2004h"])
    if kind == "title":
        end = rng.choice([_BEL, _ST])
        return f"{_ESC}]{rng.choice(['0', '2'])};{rng.choice(['build', 'tail -f app.log', 'vim'])}{end}"
    if kind == "link":  # an empty OSC 8 link (the end of one): a target of its own would be text to scan
        return f"{_ESC}]8;;{rng.choice([_BEL, _ST])}"
    if kind == "charset":
        return _ESC + rng.choice(["(B", ")0", "(0", "(B"])
    return _ESC + rng.choice(["7", "8", "=", ">", "M"])


def _overstrike(rng: Random, text: str) -> tuple[str, str]:
    """`text` with backspaces a terminal resolves to `text`: nroff bold (`X\\bX`) or underline (`_\\bX`,
    `X\\b_`) on every character or some, or a character typed wrong and struck over (`9\\b4111…`)."""
    how = rng.choice(["bold", "underline", "underline-after", "struck-over"])
    if how == "struck-over":
        cuts = sorted(rng.sample(range(len(text)), k=min(len(text), rng.randint(1, 3))))
        out, last = [], 0
        for cut in cuts:
            wrong = rng.choice("0123456789" if text[cut].isdigit() else "xq_")
            out += [text[last:cut], wrong + "\b"]
            last = cut
        return "".join(out) + text[last:], how
    every = rng.random() < 0.6
    pieces = []
    for c in text:
        if not every and rng.random() < 0.5:
            pieces.append(c)
        elif how == "bold":
            pieces.append(f"{c}\b{c}")
        elif how == "underline":
            pieces.append(f"_\b{c}")
        else:
            pieces.append(f"{c}\b_")
    return "".join(pieces), how


def overstrike(rng: Random) -> Case:
    """A value written with backspaces a terminal resolves (`_overstrike`), in a sentence."""
    value = reliable_value(rng)
    written, how = _overstrike(rng, value.text)
    text = sentence(rng, value).replace(value.text, written)
    result, where = _carry(rng, text)
    label = f"terminal-overstrike-{how}:{value.kind}:{where}"
    return Case("terminal-codes", [call(result)], [value], label=label)


def terminal_codes(rng: Random) -> Case:
    """A value with one to four control sequences at random places inside it, or coloured whole, or written
    with backspaces (overstrike: nroff bold and underline, a wrong character struck over)."""
    if rng.random() < 0.2:
        return overstrike(rng)
    value = reliable_value(rng)
    written = value.text
    if rng.random() < 0.25:
        written = _sgr(rng) + written + f"{_ESC}[0m"
        how = "wrapped"
    elif rng.random() < 0.15:  # a hyperlink whose target is the value: the terminal hides it, a client not
        end = rng.choice([_BEL, _ST])
        target = ("mailto:" if value.kind == "email" else "https://crm.example/find?q=") + value.text
        written = f"{_ESC}]8;;{target}{end}{rng.choice(['open', 'link', 'details'])}{_ESC}]8;;{end}"
        how = "link-target"
    else:
        cuts = sorted(rng.sample(range(1, len(written)), k=min(len(written) - 1, rng.randint(1, 4))))
        pieces, last = [], 0
        for cut in cuts:
            pieces += [written[last:cut], _sequence(rng)]
            last = cut
        written = "".join(pieces) + written[last:]
        how = "inside"
    text = sentence(rng, value).replace(value.text, written)
    result, where = _carry(rng, text)
    return Case("terminal-codes", [call(result)], [value], label=f"terminal-{how}:{value.kind}:{where}")
