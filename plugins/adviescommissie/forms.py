"""Forms of the adviescommissie plugin, with Dutch messages next to each field."""

from __future__ import annotations

from urllib.parse import urlparse

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intranet.plugin_api import (
    DATE_MESSAGE,
    DutchDateField,
    local_today,
)

from .models import (
    ASSESSMENTS,
    ATTENDANCE,
    MEMBER_ROLES,
    POLICY_AREAS,
    RESPONSES,
    SUBJECT_KINDS,
    TIMELINESS,
)

DATETIME_MESSAGE = "Vul een datum en tijd in, bijvoorbeeld 21-11-2026 14:00."


class NLDateTimeField(DateTimeLocalField):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:  # type: ignore[no-untyped-def]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(DATETIME_MESSAGE) from exc


def _strip(value):  # type: ignore[no-untyped-def]
    return value.strip() if isinstance(value, str) else value


def _max(n: int, what: str) -> Length:
    return Length(max=n, message=f"{what} mag hoogstens {n} tekens lang zijn.")


def _check_links(text: str) -> None:
    """A line is a document name, or a link; a link must be a valid http(s) address."""
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line.lower().startswith(("http:", "https:", "www.")):
            continue
        parsed = urlparse(line)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in line:
            raise ValidationError(
                f"„{line[:80]}” is geen geldige link. Begin een link met https:// "
                "of zet alleen de naam van het document op de regel."
            )


class AdviceRequestForm(FlaskForm):
    """A solicited advice request, or (with ``solicited`` False) an unsolicited advice."""

    subject = StringField(
        "Onderwerp",
        filters=[_strip],
        validators=[DataRequired(message="Vul het onderwerp in."), _max(200, "Het onderwerp")],
    )
    policy_area = SelectField(
        "Beleidsterrein",
        choices=list(POLICY_AREAS.items()),
        validators=[InputRequired(message="Kies een beleidsterrein.")],
    )
    subject_kind = SelectField(
        "Soort stuk",
        choices=list(SUBJECT_KINDS.items()),
        validators=[InputRequired(message="Kies de soort stuk.")],
    )
    department = StringField(
        "Afdeling die advies vraagt",
        validators=[Optional(), _max(200, "De afdeling")],
    )
    official = StringField(
        "Contactpersoon bij de gemeente",
        validators=[Optional(), _max(200, "De contactpersoon")],
    )
    description = TextAreaField(
        "Toelichting",
        validators=[Optional(), _max(10000, "De toelichting")],
    )
    documents = TextAreaField(
        "Documenten en links",
        validators=[Optional(), _max(5000, "De lijst met documenten")],
        description="Eén document of link per regel; een link begint met https://.",
    )
    received_on = DutchDateField(
        "Datum ontvangen",
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    deadline = DutchDateField(
        "Uiterste datum advies",
        validators=[Optional()],
        description="Leeg laten: de standaardtermijn wordt berekend "
        "(valt die in een weekend of op een feestdag, dan de eerstvolgende werkdag).",
    )
    decision_date = DutchDateField(
        "Datum van het besluit",
        validators=[Optional()],
        description="Wanneer het college of de raad besluit waarover advies gevraagd wordt. "
        "Daaruit volgt of de commissie vroeg genoeg is gevraagd.",
    )
    timeliness = SelectField(
        "Is de commissie vroeg genoeg gevraagd?",
        choices=list(TIMELINESS.items()),
        validators=[Optional()],
    )
    timeliness_note = TextAreaField(
        "Toelichting op het moment van vragen",
        validators=[Optional(), _max(5000, "De toelichting")],
    )

    def validate_documents(self, field: TextAreaField) -> None:
        _check_links(field.data)

    def validate_received_on(self, field: DateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError("De datum van ontvangst kan niet in de toekomst liggen.")

    def validate_decision_date(self, field: DateField) -> None:
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            raise ValidationError(DATE_MESSAGE)
        if field.data and self.received_on.data and field.data < self.received_on.data:
            raise ValidationError("De datum van het besluit ligt vóór de datum van ontvangst.")

    def validate_deadline(self, field: DateField) -> None:
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            raise ValidationError(DATE_MESSAGE)
        if field.data and self.received_on.data and field.data < self.received_on.data:
            raise ValidationError("De uiterste datum ligt vóór de datum van ontvangst.")


class AdviceTextForm(FlaskForm):
    advice_text = TextAreaField(
        "Tekst van het advies",
        filters=[_strip],
        validators=[
            DataRequired(message="Schrijf de tekst van het advies."),
            _max(50000, "De tekst"),
        ],
    )


class RecommendationForm(FlaskForm):
    text = TextAreaField(
        "Aanbeveling",
        filters=[_strip],
        validators=[
            DataRequired(message="Schrijf de aanbeveling."),
            _max(5000, "De aanbeveling"),
        ],
    )


class ResponseForm(FlaskForm):
    response = SelectField(
        "Reactie van de gemeente",
        choices=[("", "Kies…"), *RESPONSES.items()],
        validators=[InputRequired(message="Kies of de aanbeveling is overgenomen.")],
    )
    reasoning = TextAreaField(
        "Onderbouwing",
        filters=[_strip],
        validators=[
            DataRequired(message="Geef de onderbouwing van de gemeente."),
            _max(10000, "De onderbouwing"),
        ],
    )

    def validate_response(self, field: SelectField) -> None:
        if field.data not in RESPONSES:
            raise ValidationError("Kies of de aanbeveling is overgenomen.")


class FollowupForm(FlaskForm):
    followup_note = TextAreaField(
        "Vervolgnotitie van de commissie",
        filters=[_strip],
        validators=[
            DataRequired(message="Schrijf de vervolgnotitie."),
            _max(10000, "De notitie"),
        ],
    )


class ParticipationForm(FlaskForm):
    participation_advice = TextAreaField(
        "Wie moeten meedenken, en hoe?",
        validators=[Optional(), _max(10000, "Het participatieadvies")],
        description="Bijvoorbeeld: eerst een meedenkgroep van gebruikers van hulpmiddelen "
        "vóór de aanbesteding.",
    )
    target = SelectField(
        "Koppelen aan een meedenkgroep of traject",
        choices=[("", "Niet koppelen")],
        validators=[Optional()],
        validate_choice=False,
    )


class ValueForm(FlaskForm):
    name = StringField(
        "Waarde",
        filters=[_strip],
        validators=[DataRequired(message="Vul de naam van de waarde in."), _max(120, "De naam")],
    )
    agreements = TextAreaField(
        "Concrete afspraken",
        validators=[Optional(), _max(10000, "De afspraken")],
    )


class ExplanationForm(FlaskForm):
    explanation = TextAreaField(
        "Toelichting van de gemeente",
        filters=[_strip],
        validators=[
            DataRequired(message="Leg uit hoe het voorstel bijdraagt aan deze waarde."),
            _max(10000, "De toelichting"),
        ],
    )


class AssessmentForm(FlaskForm):
    assessment = SelectField(
        "Oordeel van de commissie",
        choices=list(ASSESSMENTS.items())[1:],
        validators=[InputRequired(message="Kies het oordeel van de commissie.")],
    )
    assessment_note = TextAreaField(
        "Toelichting bij het oordeel",
        validators=[Optional(), _max(10000, "De toelichting")],
    )


class MemberForm(FlaskForm):
    resident_id = SelectField(
        "Inwoner",
        coerce=str,
        choices=[],
        validators=[InputRequired(message="Kies de inwoner die lid is.")],
    )
    role = SelectField(
        "Rol",
        choices=list(MEMBER_ROLES.items()),
        validators=[InputRequired(message="Kies een rol.")],
    )
    expertise = StringField(
        "Deskundigheid",
        validators=[Optional(), _max(500, "De deskundigheid")],
        description="Bijvoorbeeld: Wmo, jeugd, ervaringsdeskundige GGZ.",
    )
    term_start = DutchDateField(
        "Begin zittingstermijn", validators=[InputRequired(message=DATE_MESSAGE)]
    )
    term_end = DutchDateField("Einde zittingstermijn", validators=[Optional()])

    def validate_term_end(self, field: DateField) -> None:
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            raise ValidationError(DATE_MESSAGE)
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError("Het einde van de termijn ligt vóór het begin.")


class MeetingForm(FlaskForm):
    starts_at = NLDateTimeField(
        "Datum en tijd", validators=[InputRequired(message=DATETIME_MESSAGE)]
    )
    location = StringField("Locatie", validators=[Optional(), _max(200, "De locatie")])
    agenda = TextAreaField("Agenda", validators=[Optional(), _max(20000, "De agenda")])
    minutes = TextAreaField(
        "Verslag",
        validators=[Optional(), _max(50000, "Het verslag")],
        description="Schrijf geen gegevens over de gezondheid of situatie van leden op.",
    )


ATTENDANCE_CHOICES = [("", "Niet vastgelegd"), *ATTENDANCE.items()]


class ConsultationForm(FlaskForm):
    """An organisation from the registry the committee consulted for this advice."""

    organisation_id = SelectField(
        "Organisatie",
        coerce=lambda v: int(v) if str(v).isdigit() else 0,
        validators=[InputRequired(message="Kies de organisatie die is geraadpleegd.")],
        description="Uit het register van de gemeente, onder Organisaties.",
        validate_choice=False,
    )
    consulted_on = DutchDateField(
        "Geraadpleegd op", validators=[InputRequired(message=DATE_MESSAGE)]
    )
    how = StringField(
        "Hoe",
        filters=[_strip],
        description="Bijvoorbeeld: achterbanbijeenkomst, schriftelijke reactie, telefonisch.",
        validators=[Optional(), _max(300, "De toelichting")],
    )

    def validate_organisation_id(self, field: SelectField) -> None:
        if not field.data or field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Kies een organisatie uit de lijst.")

    def validate_consulted_on(self, field: DutchDateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError("Een raadpleging kan niet in de toekomst liggen.")
