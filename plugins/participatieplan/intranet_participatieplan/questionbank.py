"""The question bank: reusable questions for questionnaires, with a starter set written in the
spirit of QueZ ("Questions Zelfregie", seed 004): questions that start from the resident's own
direction, in plain Dutch. Offered to the questionnaire builder of other plugins (meedenkgroepen)
through the ``intranet_question_bank`` hook."""

from __future__ import annotations

from typing import Any

from intranet.plugin_api import db, scoped

from .models import BankQuestion

STARTER_THEME = "Eigen regie (in de geest van QueZ)"

#: (kind, text, options, (scale_min, scale_max, min_label, max_label))
STARTER_SET: list[tuple[str, str, list[str], tuple[int, int, str, str] | None]] = [
    ("open", "Wat wilt u zelf bereiken in uw dagelijks leven?", [], None),
    ("open", "Wat lukt u nu al goed zelf?", [], None),
    ("open", "Wie in uw omgeving helpt u, en waarmee?", [], None),
    ("open", "Waarover wilt u zelf beslissen?", [], None),
    ("open", "Wat heeft u nodig om het zelf te kunnen blijven doen?", [], None),
    (
        "scale",
        "Hoeveel heeft u zelf te zeggen over de hulp die u krijgt?",
        [],
        (1, 5, "niets", "alles"),
    ),
    (
        "single",
        "Wie bepaalt nu vooral welke hulp u krijgt?",
        ["Ikzelf", "Ik samen met de hulpverlener", "Vooral de hulpverlener", "Weet ik niet"],
        None,
    ),
    (
        "multiple",
        "Hoe wilt u dat de gemeente met u meedenkt?",
        ["In een gesprek thuis", "Telefonisch", "Per e-mail", "In een groep met anderen"],
        None,
    ),
    ("open", "Wat zou u de gemeente willen meegeven?", [], None),
]


def seed_starter_set(municipality: Any) -> int:
    """Add the starter set once (questions already there by text are skipped)."""
    existing = set(
        db.session.execute(
            scoped(BankQuestion, municipality).with_only_columns(BankQuestion.text)
        ).scalars()
    )
    added = 0
    for kind, text, options, scale in STARTER_SET:
        if text in existing:
            continue
        question = BankQuestion(
            municipality_id=municipality.id,
            theme=STARTER_THEME,
            kind=kind,
            text=text,
            options=options,
            starter=True,
        )
        if scale:
            (
                question.scale_min,
                question.scale_max,
                question.scale_min_label,
                question.scale_max_label,
            ) = scale
        db.session.add(question)
        added += 1
    return added
