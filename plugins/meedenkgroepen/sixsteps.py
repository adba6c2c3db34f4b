"""The six-step method for new policy (seed 003) as pure functions: no database, no Flask.

A trajectory moves one step forward at a time when the step's work is done, may go back to
any earlier step with a reason (seed: "dan kunnen we nog één of meerdere stappen terug"), and
ends at step 6 with a result. Each function returns the Dutch problems that block the move;
an empty list means the move is allowed.
"""

from __future__ import annotations

from typing import Any

from intranet.plugin_api import _, _l

STEPS: dict[int, str] = {
    1: _l("Informatie verzamelen"),
    2: _l("In gesprek"),
    3: _l("Mijn aandeel"),
    4: _l("Ideeën verzamelen"),
    5: _l("Controle kwaliteit"),
    6: _l("Resultaat"),
}

STEP_HELP: dict[int, str] = {
    1: _l(
        "Het idee of de vraag komt van een inwoner of van de gemeente. De gemeente zorgt dat de informatie over het onderwerp beschikbaar is."
    ),
    2: _l(
        "Gesprekken, individueel of georganiseerd, om zoveel mogelijk informatie op te halen en te delen."
    ),
    3: _l("Per groep deelnemers afspreken welke invloed zij hebben (de participatieladder)."),
    4: _l(
        "Alle opgehaalde ideeën verzamelen, ordenen en nagaan of ze volledig en goed weergegeven zijn."
    ),
    5: _l(
        "Is iedereen voldoende betrokken? Per bijdrage kiezen of die wordt meegenomen, en uitleggen waarom niet."
    ),
    6: _l(
        "Een advies, een (nieuwe) opdracht of een voorstel aan de gemeente om een besluit te nemen."
    ),
}

#: rung code -> (plain words from the seed, ladder name)
LADDER: dict[str, tuple[str, str]] = {
    "informeren": (_l("weten hoe het zit"), _l("Informeren")),
    "raadplegen": (_l("iets meegeven"), _l("Raadplegen")),
    "adviseren": (_l("meedenken"), _l("Adviseren")),
    "coproduceren": (_l("meedoen"), _l("Coproduceren")),
    "meebeslissen": (_l("meebepalen"), _l("Meebeslissen")),
    "faciliteren": (_l("het zelf doen"), _l("Faciliteren")),
}

FIRST, LAST = 1, 6
USED, NOT_USED = "gebruikt", "niet_gebruikt"
RESULT_KINDS = ("advies", "opdracht", "voorstel")


def rung_words(rung: str) -> str:
    """The rung in plain words, e.g. ``meedenken (adviseren)``."""
    plain, name = LADDER.get(rung, (rung, rung))
    return f"{plain} ({name.lower()})"


def _filled(value: Any) -> bool:
    return bool((value or "").strip())


def advance_problems(t: Any) -> list[str]:
    """What blocks moving ``t`` from its step to the next one."""
    if t.closed_at is not None:
        return [_("Dit traject is afgerond.")]
    step = t.step
    if step >= LAST:
        return [_("Stap 6 is de laatste stap; rond het traject af met een resultaat.")]
    problems: list[str] = []
    if step == 1 and not (_filled(t.information) or t.documents):
        problems.append(
            _("Leg eerst de beschikbare informatie vast: een samenvatting of een beleidsstuk.")
        )
    if step == 2 and not t.conversations:
        problems.append(_("Leg eerst minstens één gesprek vast."))
    if step == 3:
        if not t.participant_groups:
            problems.append(
                _("Geef eerst voor minstens één groep deelnemers aan welke invloed zij hebben.")
            )
        elif any(g.rung not in LADDER for g in t.participant_groups):
            problems.append(
                _("Elke groep deelnemers moet een trede van de participatieladder hebben.")
            )
    if step == 4:
        if not t.contributions:
            problems.append(_("Verzamel eerst minstens één bijdrage."))
        incomplete = [c for c in t.contributions if not c.complete]
        if incomplete:
            problems.append(
                _(
                    "%(incomplete)s bijdrage(n) zijn nog niet gecontroleerd op volledigheid.",
                    incomplete=len(incomplete),
                )
            )
    if step == 5:
        problems.extend(quality_problems(t))
    return problems


def quality_problems(t: Any) -> list[str]:
    """Step 5: everyone sufficiently involved, every contribution used or explained."""
    problems: list[str] = []
    if t.involvement_ok is not True:
        problems.append(_("Stel eerst vast dat iedereen voldoende betrokken is geweest."))
    undecided = [c for c in t.contributions if c.decision not in (USED, NOT_USED)]
    if undecided:
        problems.append(
            _("%(undecided)s bijdrage(n) zijn nog niet beoordeeld.", undecided=len(undecided))
        )
    unexplained = [
        c for c in t.contributions if c.decision == NOT_USED and not _filled(c.explanation)
    ]
    if unexplained:
        problems.append(
            _(
                "%(unexplained)s bijdrage(n) worden niet meegenomen zonder uitleg; leg uit waarom niet.",
                unexplained=len(unexplained),
            )
        )
    return problems


def back_problems(t: Any, to_step: Any, reason: str | None) -> list[str]:
    """Going back to any earlier step needs a reason."""
    if t.closed_at is not None:
        return [_("Dit traject is afgerond.")]
    problems: list[str] = []
    if not isinstance(to_step, int) or not (FIRST <= to_step < t.step):
        problems.append(_("Kies een eerdere stap."))
    if not _filled(reason):
        problems.append(_("Geef de reden om terug te gaan."))
    return problems


def finish_problems(t: Any) -> list[str]:
    """Step 6: a trajectory ends with an advice, an assignment or a proposal."""
    if t.closed_at is not None:
        return [_("Dit traject is al afgerond.")]
    problems: list[str] = []
    if t.step != LAST:
        problems.append(_("Een traject wordt afgerond in stap 6."))
    if t.result_kind not in RESULT_KINDS:
        problems.append(_("Kies het soort resultaat."))
    if not _filled(t.result_text):
        problems.append(_("Beschrijf het resultaat."))
    return problems


def contribution_decision_problems(decision: str | None, explanation: str | None) -> list[str]:
    if decision not in (USED, NOT_USED):
        return [_("Kies of de bijdrage wordt meegenomen.")]
    if decision == NOT_USED and not _filled(explanation):
        return [_("Leg uit waarom deze bijdrage niet wordt meegenomen.")]
    return []
