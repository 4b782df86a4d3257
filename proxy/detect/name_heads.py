"""Words that, after a name in the same capitalised run, say the name is a person's: a job title (`Megan
Hunter Account Manager`), a record kept about a person (`the Caroline Brown Divorce Filing`, `Maria
Gonzalez Performance Review`), a time word that starts the rest of the sentence (`Ask Laura Fisher
Tomorrow`).

Why a vocabulary: a name before a capitalised word of the language reads as the modifier of a phrase
(`Georgia Peach` + `Tea`, `name_phrases.phrase_modifier`), and a person's name is a modifier too, of the
things said about a person. English noun phrases are head-final, so what the phrase is about is its last
word: `… Performance Review` is about a person, `… Peach Tea` is not. Three closed classes of heads, like
the company forms of `name_words.COMPANY_WORDS`:
- roles: a person holds them (`Manager`, `Director`, `Accountant`); anywhere in the run after the name
  (`Gregory Butler Chief Financial Officer`, `Kevin Walker Regional Manager`);
- records: documents and events kept about one person (`Review`, `Letter`, `Interview`, `Filing`,
  `Claim`, `Request`): as the run's last word, its head (`Background Check`, `Medical Records`);
- time words right after the name (`Tomorrow`, `Yesterday`, `Monday`): no part of a phrase at all.
"""

from __future__ import annotations

from proxy.detect.name_lexicon import lexicon_form
from proxy.detect.name_words import words_of

ROLE_HEADS = frozenset(
    words_of("""manager director officer accountant developer engineer lead assistant intern consultant
    analyst specialist coordinator representative rep executive president vp chief supervisor administrator
    admin recruiter designer architect attorney lawyer counsel paralegal advisor adviser agent clerk nurse
    physician technician secretary treasurer founder cofounder ceo cfo cto coo cio ciso hr programmer
    auditor controller bookkeeper receptionist therapist counselor counsellor teacher instructor tutor
    professor lecturer researcher scientist editor writer author reporter producer owner employee contractor
    freelancer associate trainee apprentice candidate applicant hire volunteer tenant landlord patient
    client customer member student resident chair chairman chairwoman chairperson""")
)
RECORD_HEADS = frozenset(
    words_of("""review reviews letter interview request requests filing filings claim claims check checks
    records record file files contract renewal termination resignation leave offer resume cv application
    evaluation appraisal assessment onboarding offboarding reference complaint grievance warning agreement
    payroll salary bonus raise promotion timesheet visa passport profile dossier report reports invoice
    statement settlement divorce custody lawsuit case hearing deposition intake referral diagnosis
    prescription treatment appointment consultation screening checkup birthday farewell retirement wedding
    memorial obituary biography bio portrait headshot photo photos signature notes note feedback sync
    meeting call""")
)
TIME_HEADS = frozenset(
    words_of("""today tomorrow yesterday tonight monday tuesday wednesday thursday friday saturday sunday
    morning afternoon evening weekend""")
)


def person_heads(run: list[str]) -> bool:
    """Whether the capitalised words `run` that follow a name in its run say the name is a person's."""
    words = [lexicon_form(w.strip(".,;:!?()[]\"'")) for w in run if w.strip(".,;:!?()[]\"'")]
    if not words:
        return False
    if words[0] in TIME_HEADS:
        return True
    return any(w in ROLE_HEADS for w in words) or words[-1] in RECORD_HEADS


def heads_before(words: list[str]) -> bool:
    """Whether a role or a record kind stands among the label's words before a name (`Exit Interview:`,
    `Onboarding -`): the label is about a person, though its head comes first."""
    folded = (lexicon_form(w.strip(".,;:!?()[]\"'#-/")) for w in words)
    return any(w in ROLE_HEADS or w in RECORD_HEADS for w in folded)
