"""Forms of the adviescommissie plugin, with Dutch messages next to each field."""

from __future__ import annotations

from urllib.parse import urlparse

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intranet.plugin_api import (
    DATE_MESSAGE,
    DATETIME_MESSAGE,
    DutchDateField,
    DutchDateTimeField,
    _,
    _l,
    local_today,
    parse_id,
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


def _strip(value):  # type: ignore[no-untyped-def]
    return value.strip() if isinstance(value, str) else value


def _max(n: int, what: str) -> Length:
    return Length(
        max=n, message=_l("%(what)s mag hoogstens %(n)s tekens lang zijn.", what=what, n=n)
    )


def _check_links(text: str) -> None:
    """A line is a document name, or a link; a link must be a valid http(s) address."""
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line.lower().startswith(("http:", "https:", "www.")):
            continue
        parsed = urlparse(line)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in line:
            raise ValidationError(
                _(
                    "„%(line)s” is geen geldige link. Begin een link met https:// "
                    "of zet alleen de naam van het document op de regel.",
                    line=line[:80],
                )
            )


class AdviceRequestForm(FlaskForm):
    """A solicited advice request, or (with ``solicited`` False) an unsolicited advice."""

    subject = StringField(
        _l("Onderwerp"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Vul het onderwerp in.")),
            _max(200, _l("Het onderwerp")),
        ],
    )
    policy_area = SelectField(
        _l("Beleidsterrein"),
        choices=list(POLICY_AREAS.items()),
        validators=[InputRequired(message=_l("Kies een beleidsterrein."))],
    )
    subject_kind = SelectField(
        _l("Soort stuk"),
        choices=list(SUBJECT_KINDS.items()),
        validators=[InputRequired(message=_l("Kies de soort stuk."))],
    )
    department = StringField(
        _l("Afdeling die advies vraagt"),
        validators=[Optional(), _max(200, _l("De afdeling"))],
    )
    official = StringField(
        _l("Contactpersoon bij de gemeente"),
        validators=[Optional(), _max(200, _l("De contactpersoon"))],
    )
    description = TextAreaField(
        _l("Toelichting"),
        validators=[Optional(), _max(10000, _l("De toelichting"))],
    )
    documents = TextAreaField(
        _l("Documenten en links"),
        validators=[Optional(), _max(5000, _l("De lijst met documenten"))],
        description=_l("Eén document of link per regel; een link begint met https://."),
    )
    received_on = DutchDateField(
        _l("Datum ontvangen"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    deadline = DutchDateField(
        _l("Uiterste datum advies"),
        validators=[Optional()],
        description=_l(
            "Leeg laten: de standaardtermijn wordt berekend "
            "(valt die in een weekend of op een feestdag, dan de eerstvolgende werkdag)."
        ),
    )
    decision_date = DutchDateField(
        _l("Datum van het besluit"),
        validators=[Optional()],
        description=_l(
            "Wanneer het college of de raad besluit waarover advies gevraagd wordt. "
            "Daaruit volgt of de commissie vroeg genoeg is gevraagd."
        ),
    )
    timeliness = SelectField(
        _l("Is de commissie vroeg genoeg gevraagd?"),
        choices=list(TIMELINESS.items()),
        # Optional() lets whitespace past the check of the choices: strip it to "not judged"
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[Optional()],
    )
    timeliness_note = TextAreaField(
        _l("Toelichting op het moment van vragen"),
        validators=[Optional(), _max(5000, _l("De toelichting"))],
    )

    def validate_documents(self, field: TextAreaField) -> None:
        _check_links(field.data)

    def validate_received_on(self, field: DateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_("De datum van ontvangst kan niet in de toekomst liggen."))

    def validate_decision_date(self, field: DateField) -> None:
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            raise ValidationError(DATE_MESSAGE)
        if field.data and self.received_on.data and field.data < self.received_on.data:
            raise ValidationError(_("De datum van het besluit ligt vóór de datum van ontvangst."))

    def validate_deadline(self, field: DateField) -> None:
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            raise ValidationError(DATE_MESSAGE)
        if field.data and self.received_on.data and field.data < self.received_on.data:
            raise ValidationError(_("De uiterste datum ligt vóór de datum van ontvangst."))


class AdviceTextForm(FlaskForm):
    advice_text = TextAreaField(
        _l("Tekst van het advies"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Schrijf de tekst van het advies.")),
            _max(50000, _l("De tekst")),
        ],
    )


class RecommendationForm(FlaskForm):
    text = TextAreaField(
        _l("Aanbeveling"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Schrijf de aanbeveling.")),
            _max(5000, _l("De aanbeveling")),
        ],
    )


class ResponseForm(FlaskForm):
    response = SelectField(
        _l("Reactie van de gemeente"),
        choices=[("", _l("Kies…")), *RESPONSES.items()],
        validators=[InputRequired(message=_l("Kies of de aanbeveling is overgenomen."))],
    )
    reasoning = TextAreaField(
        _l("Onderbouwing"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Geef de onderbouwing van de gemeente.")),
            _max(10000, _l("De onderbouwing")),
        ],
    )

    def validate_response(self, field: SelectField) -> None:
        if field.data not in RESPONSES:
            raise ValidationError(_("Kies of de aanbeveling is overgenomen."))


class FollowupForm(FlaskForm):
    followup_note = TextAreaField(
        _l("Vervolgnotitie van de commissie"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Schrijf de vervolgnotitie.")),
            _max(10000, _l("De notitie")),
        ],
    )


class ParticipationForm(FlaskForm):
    participation_advice = TextAreaField(
        _l("Wie moeten meedenken, en hoe?"),
        validators=[Optional(), _max(10000, _l("Het participatieadvies"))],
        description=_l(
            "Bijvoorbeeld: eerst een meedenkgroep van gebruikers van hulpmiddelen "
            "vóór de aanbesteding."
        ),
    )
    target = SelectField(
        _l("Koppelen aan een meedenkgroep of traject"),
        choices=[("", _l("Niet koppelen"))],
        validators=[Optional()],
        validate_choice=False,
    )


class ValueForm(FlaskForm):
    name = StringField(
        _l("Waarde"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Vul de naam van de waarde in.")),
            _max(120, _l("De naam")),
        ],
    )
    agreements = TextAreaField(
        _l("Concrete afspraken"),
        validators=[Optional(), _max(10000, _l("De afspraken"))],
    )


class ExplanationForm(FlaskForm):
    explanation = TextAreaField(
        _l("Toelichting van de gemeente"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Leg uit hoe het voorstel bijdraagt aan deze waarde.")),
            _max(10000, _l("De toelichting")),
        ],
    )


class AssessmentForm(FlaskForm):
    assessment = SelectField(
        _l("Oordeel van de commissie"),
        choices=list(ASSESSMENTS.items())[1:],
        validators=[InputRequired(message=_l("Kies het oordeel van de commissie."))],
    )
    assessment_note = TextAreaField(
        _l("Toelichting bij het oordeel"),
        validators=[Optional(), _max(10000, _l("De toelichting"))],
    )


class MemberForm(FlaskForm):
    resident_id = SelectField(
        _l("Inwoner"),
        coerce=str,
        choices=[],
        validators=[InputRequired(message=_l("Kies de inwoner die lid is."))],
    )
    role = SelectField(
        _l("Rol"),
        choices=list(MEMBER_ROLES.items()),
        validators=[InputRequired(message=_l("Kies een rol."))],
    )
    expertise = StringField(
        _l("Deskundigheid"),
        validators=[Optional(), _max(500, _l("De deskundigheid"))],
        description=_l("Bijvoorbeeld: Wmo, jeugd, ervaringsdeskundige GGZ."),
    )
    term_start = DutchDateField(
        _l("Begin zittingstermijn"), validators=[InputRequired(message=DATE_MESSAGE)]
    )
    term_end = DutchDateField(_l("Einde zittingstermijn"), validators=[Optional()])

    def validate_term_end(self, field: DateField) -> None:
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            raise ValidationError(DATE_MESSAGE)
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError(_("Het einde van de termijn ligt vóór het begin."))


class MeetingForm(FlaskForm):
    starts_at = DutchDateTimeField(
        _l("Datum en tijd"), validators=[InputRequired(message=DATETIME_MESSAGE)]
    )
    location = StringField(_l("Locatie"), validators=[Optional(), _max(200, _l("De locatie"))])
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), _max(20000, _l("De agenda"))])
    minutes = TextAreaField(
        _l("Verslag"),
        validators=[Optional(), _max(50000, _l("Het verslag"))],
        description=_l("Schrijf geen gegevens over de gezondheid of situatie van leden op."),
    )


ATTENDANCE_CHOICES = [("", _l("Niet vastgelegd")), *ATTENDANCE.items()]


class ConsultationForm(FlaskForm):
    """An organisation from the registry the committee consulted for this advice."""

    organisation_id = SelectField(
        _l("Organisatie"),
        coerce=lambda v: parse_id(str(v)) or 0,
        validators=[InputRequired(message=_l("Kies de organisatie die is geraadpleegd."))],
        description=_l("Uit het register van de gemeente, onder Organisaties."),
        validate_choice=False,
    )
    consulted_on = DutchDateField(
        _l("Geraadpleegd op"), validators=[InputRequired(message=DATE_MESSAGE)]
    )
    how = StringField(
        _l("Hoe"),
        filters=[_strip],
        description=_l("Bijvoorbeeld: achterbanbijeenkomst, schriftelijke reactie, telefonisch."),
        validators=[Optional(), _max(300, _l("De toelichting"))],
    )

    def validate_organisation_id(self, field: SelectField) -> None:
        if not field.data or field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Kies een organisatie uit de lijst."))

    def validate_consulted_on(self, field: DutchDateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_l("Een raadpleging kan niet in de toekomst liggen."))
