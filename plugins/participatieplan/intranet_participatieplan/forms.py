"""Forms of the plugin; every validator has a Dutch message shown next to its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from intranet.plugin_api import CheckboxListField, DutchDateField, _l

from .models import (
    INPUT_DECISIONS,
    LADDER,
    MOMENT_FORMS,
    MOMENT_STATUSES,
    PARTICIPANT_KINDS,
    PARTIES,
    PERSONA_STATUSES,
    QUESTION_KINDS,
    WORKSHOP_STATUSES,
    WORKSTREAM_STATUSES,
)


def to_int(value: object) -> int | None:
    """Coerce a choice to int; rubbish becomes None, which is no valid choice."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _choice(message: object) -> dict[str, object]:
    return {"validate_choice": True, "invalid_choice_message": message}


def _len(n: int) -> Length:
    return Length(max=n, message=_l("Hoogstens %(n)s tekens.", n=n))


def _text(label: object, n: int = 5000, description: object = "") -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), _len(n)], description=description)


class AgendaForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(message=_l("Vul de titel van de agenda in.")), _len(200)],
    )
    summary = _text(
        _l("Samenvatting"), description=_l("Zoals inwoners het lezen op de openbare planning.")
    )
    adopted_by = StringField(
        _l("Vastgesteld door"),
        validators=[Optional(), _len(200)],
        description=_l("Bijvoorbeeld: het college van burgemeester en wethouders."),
    )
    adopted_on = DutchDateField(_l("Vastgesteld op"), validators=[Optional()])
    budget_context = _text(
        _l("Financiële context"),
        description=_l(
            "Vrije tekst, bijvoorbeeld de opgave om een overschrijding terug te brengen."
        ),
    )


class WorkstreamForm(FlaskForm):
    title = StringField(
        _l("Naam van de werkstroom"),
        validators=[DataRequired(message=_l("Vul de naam van de werkstroom in.")), _len(200)],
    )
    description = _text(_l("Beschrijving (openbaar)"))
    status = SelectField(
        _l("Status"),
        choices=list(WORKSTREAM_STATUSES.items()),
        validators=[InputRequired(message=_l("Kies een status."))],
        **_choice(_l("Kies een van de statussen.")),
    )
    owner_id = SelectField(
        _l("Eigenaar"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies een eigenaar."))],
        **_choice(_l("Kies een medewerker uit de lijst.")),
    )
    internal_notes = _text(_l("Interne notities"), description=_l("Alleen voor medewerkers."))


class MilestoneForm(FlaskForm):
    title = StringField(
        _l("Mijlpaal"),
        validators=[DataRequired(message=_l("Vul de mijlpaal in.")), _len(200)],
    )
    description = _text(_l("Beschrijving (openbaar)"))
    due_on = DutchDateField(
        _l("Gepland op"), validators=[InputRequired(message=_l("Vul de datum van de mijlpaal in."))]
    )
    done_on = DutchDateField(_l("Bereikt op"), validators=[Optional()])
    internal_notes = _text(_l("Interne notities"), description=_l("Alleen voor medewerkers."))

    def validate_done_on(self, field: DutchDateField) -> None:
        from wtforms.validators import ValidationError

        from intranet.plugin_api import local_today

        if field.data and field.data > local_today():
            raise ValidationError(_l("Een mijlpaal kan niet in de toekomst bereikt zijn."))


class MomentForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(message=_l("Vul de titel van het moment in.")), _len(200)],
    )
    description = _text(
        _l("Hoe inwoners kunnen meedoen (openbaar)"),
        description=_l("In gewone taal: wat er gebeurt, voor wie, en hoe je je aanmeldt."),
    )
    milestone_id = SelectField(
        _l("Bij mijlpaal"), coerce=to_int, **_choice(_l("Kies een mijlpaal van deze werkstroom."))
    )
    parties = CheckboxListField(
        _l("Wie worden betrokken"),
        choices=list(PARTIES.items()),
        validators=[DataRequired(message=_l("Kies minstens één partij die wordt betrokken."))],
    )
    ladder = SelectField(
        _l("Trede op de participatieladder"),
        choices=list(LADDER.items()),
        validators=[InputRequired(message=_l("Kies een trede van de participatieladder."))],
        **_choice(_l("Kies een van de treden.")),
    )
    form = SelectField(
        _l("Vorm"),
        choices=list(MOMENT_FORMS.items()),
        validators=[InputRequired(message=_l("Kies de vorm van het moment."))],
        **_choice(_l("Kies een van de vormen.")),
    )
    planned_on = DutchDateField(_l("Datum"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=list(MOMENT_STATUSES.items()),
        validators=[InputRequired(message=_l("Kies een status."))],
        **_choice(_l("Kies een van de statussen.")),
    )
    target = SelectField(
        _l("Gekoppelde activiteit"),
        description=_l("Een meedenkgroep, traject of adviesaanvraag uit een andere module."),
        **_choice(_l("Kies een activiteit uit de lijst.")),
    )
    outcome = _text(
        _l("Opbrengst (openbaar)"),
        description=_l("Wat het moment heeft opgeleverd; pas in te vullen als het is gehouden."),
    )
    outcome_reported_on = DutchDateField(_l("Opbrengst teruggekoppeld op"), validators=[Optional()])
    internal_notes = _text(_l("Interne notities"), description=_l("Alleen voor medewerkers."))


class WorkshopForm(FlaskForm):
    theme = StringField(
        _l("Thema"),
        validators=[DataRequired(message=_l("Vul het thema van het werkatelier in.")), _len(200)],
    )
    workstream_id = SelectField(
        _l("Werkstroom"), coerce=to_int, **_choice(_l("Kies een werkstroom uit de lijst."))
    )
    held_on = DutchDateField(
        _l("Datum"), validators=[InputRequired(message=_l("Vul de datum van het werkatelier in."))]
    )
    location = StringField(_l("Locatie"), validators=[Optional(), _len(200)])
    status = SelectField(
        _l("Status"),
        choices=list(WORKSHOP_STATUSES.items()),
        validators=[InputRequired(message=_l("Kies een status."))],
        **_choice(_l("Kies een van de statussen.")),
    )
    summary = _text(_l("Verslag"))


class ParticipantForm(FlaskForm):
    kind = SelectField(
        _l("Namens"),
        choices=list(PARTICIPANT_KINDS.items()),
        validators=[InputRequired(message=_l("Kies namens wie de deelnemer meedoet."))],
        **_choice(_l("Kies gemeente, politiek, cliënt of organisatie.")),
    )
    role = StringField(
        _l("Rol"),
        validators=[Optional(), _len(200)],
        description=_l(
            "Voor gemeente en politiek: bijvoorbeeld „beleidsadviseur Wmo” of „raadslid”."
        ),
    )
    employee_id = SelectField(
        _l("Medewerker (gemeente)"),
        coerce=to_int,
        **_choice(_l("Kies een medewerker uit de lijst.")),
    )
    resident_id = SelectField(
        _l("Inwoner (cliënt)"),
        coerce=to_int,
        description=_l("Alleen inwoners met toestemming voor werkateliers."),
        **_choice(_l("Kies een inwoner uit de lijst.")),
    )
    organisation_id = SelectField(
        _l("Organisatie"),
        coerce=to_int,
        description=_l(
            "Voor een organisatie uit het register, bijvoorbeeld een cliëntorganisatie."
        ),
        # checked in the view, and only for an organisation: the other kinds leave it out
        validate_choice=False,
    )


class InputForm(FlaskForm):
    participant_id = SelectField(
        _l("Van"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies van wie de inbreng komt."))],
        **_choice(_l("Kies een deelnemer uit de lijst.")),
    )
    text = TextAreaField(
        _l("Inbreng"),
        validators=[DataRequired(message=_l("Vul de inbreng in.")), _len(5000)],
    )


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Wat is ermee gedaan"),
        choices=list(INPUT_DECISIONS.items()),
        validators=[InputRequired(message=_l("Kies wat er met de inbreng is gedaan."))],
        **_choice(_l("Kies een van de mogelijkheden.")),
    )
    reason = _text(
        _l("Toelichting of reden"),
        description=_l("Verplicht als de inbreng niet is gebruikt; wordt teruggekoppeld."),
    )


class SessionForm(FlaskForm):
    title = StringField(
        _l("Titel van de sessie"),
        validators=[DataRequired(message=_l("Vul de titel van de sessie in.")), _len(200)],
    )
    held_on = DutchDateField(
        _l("Datum"), validators=[InputRequired(message=_l("Vul de datum van de sessie in."))]
    )
    notes = _text(_l("Aantekeningen"), description=_l("Geen namen of herleidbare verhalen."))


class SessionParticipantForm(FlaskForm):
    resident_id = SelectField(
        _l("Inwoner"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies een inwoner."))],
        description=_l("Alleen inwoners met toestemming om mee te werken aan persona's."),
        **_choice(_l("Kies een inwoner uit de lijst.")),
    )


PERSONA_NOTICE = _l(
    "Een persona is een samengesteld portret van een groep inwoners, geen echt persoon. Schrijf "
    "nooit gegevens op waarmee iemand te herkennen is: geen echte namen, adressen, "
    "geboortedata of verhalen die naar één persoon te herleiden zijn."
)


class PersonaForm(FlaskForm):
    name = StringField(
        _l("Naam van de persona"),
        validators=[DataRequired(message=_l("Geef de persona een (verzonnen) naam.")), _len(100)],
        description=_l("Een verzonnen voornaam, bijvoorbeeld „Ans”."),
    )
    status = SelectField(
        _l("Status"),
        choices=list(PERSONA_STATUSES.items()),
        validators=[InputRequired(message=_l("Kies een status."))],
        **_choice(_l("Kies een van de statussen.")),
    )
    situation = TextAreaField(
        _l("Situatie"),
        validators=[DataRequired(message=_l("Beschrijf de situatie van de persona.")), _len(5000)],
    )
    what_matters = _text(_l("Wat belangrijk is"))
    quotes = _text(
        _l("Citaten in eigen woorden"),
        description=_l("Eén citaat per regel, zonder te zeggen wie het zei."),
    )
    needs = _text(_l("Behoeften"))
    obstacles = _text(_l("Wat in de weg zit"))
    session_id = SelectField(
        _l("Gemaakt in sessie"),
        coerce=to_int,
        description=_l("De cocreatiesessie met inwoners die aan deze versie meewerkten."),
        **_choice(_l("Kies een sessie uit de lijst.")),
    )


class PersonaUseForm(FlaskForm):
    workstream_id = SelectField(
        _l("Werkstroom"), coerce=to_int, **_choice(_l("Kies een werkstroom uit de lijst."))
    )
    target = SelectField(
        _l("Of een activiteit in een andere module"),
        **_choice(_l("Kies een activiteit uit de lijst.")),
    )
    note = _text(_l("Hoe de persona wordt gebruikt"), n=1000)


class BankQuestionForm(FlaskForm):
    theme = StringField(_l("Thema"), validators=[Optional(), _len(200)])
    kind = SelectField(
        _l("Soort vraag"),
        choices=list(QUESTION_KINDS.items()),
        validators=[InputRequired(message=_l("Kies een soort vraag."))],
        **_choice(_l("Kies een van de soorten vragen.")),
    )
    text = StringField(
        _l("Vraag"),
        validators=[DataRequired(message=_l("Vul de vraag in.")), _len(500)],
        description=_l("In gewone taal, vanuit wat de inwoner zelf wil."),
    )
    options = TextAreaField(
        _l("Antwoordmogelijkheden"),
        validators=[Optional(), _len(3000)],
        description=_l("Bij één of meerdere keuzes: één antwoord per regel, minstens twee."),
    )

    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]

    def validate_options(self, field: TextAreaField) -> None:
        from wtforms.validators import ValidationError

        if self.kind.data in ("single", "multiple") and len(self.option_list()) < 2:
            raise ValidationError(_l("Geef minstens twee antwoordmogelijkheden, één per regel."))
