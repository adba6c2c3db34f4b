"""Forms of the plugin, each validator with a Dutch message next to the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from intranet.plugin_api import (
    CONSENT_METHODS,
    DATE_MESSAGE,
    RESIDENT_KINDS,
    TIME_MESSAGE,
    AtLeastOne,
    DutchDateField,
    DutchTimeField,
    _,
    _l,
    current_municipality,
    email_field,
    local_today,
    organisation_choices,
    phone_field,
)

from .models import CHANNELS, FORMS, GROUPINGS, NEEDS, RECEIVED_VIA, REQUESTERS


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes in a fieldset (see _macros.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:  # type: ignore[no-untyped-def]
        values = [str(v) for v, *_ in self.iter_choices()]
        for d in self.data or []:
            if str(d) not in values:
                raise ValidationError(_("Kies alleen uit de getoonde mogelijkheden."))


def _choices(d: dict[str, str]) -> list[tuple[str, str]]:
    return list(d.items())


def _text(label: str, max_len: int, required: str | None = None, **kw):  # type: ignore[no-untyped-def]
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_len, message=_l("Hoogstens %(n)d tekens.", n=max_len)))
    return StringField(label, validators=validators, **kw)


def _area(label: str, max_len: int, required: str | None = None, **kw):  # type: ignore[no-untyped-def]
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_len, message=_l("Hoogstens %(n)d tekens.", n=max_len)))
    return TextAreaField(label, validators=validators, **kw)


class RequestForm(FlaskForm):
    resident_id = SelectField(
        _l("Inwoner"),
        coerce=int,
        description=_l(
            "Kies een bekende inwoner, of kies ‘Nieuwe inwoner’ en vul hieronder de gegevens in."
        ),
        validators=[InputRequired(message=_l("Kies een inwoner of ‘Nieuwe inwoner’."))],
    )
    new_name = _text(_l("Naam (nieuwe inwoner)"), 200)
    new_kind = SelectField(_l("Soort deelnemer (nieuwe inwoner)"), choices=_choices(RESIDENT_KINDS))
    new_email = email_field(
        _l("E-mailadres (nieuwe inwoner)"),
        _l("Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl."),
    )
    new_phone = phone_field(_l("Telefoonnummer (nieuwe inwoner)"))
    new_address = _text(_l("Adres (nieuwe inwoner)"), 300)
    new_neighbourhood = _text(_l("Wijk (nieuwe inwoner)"), 120)
    requester = SelectField(
        _l("Wie vraagt het gesprek aan"),
        choices=_choices(REQUESTERS),
        validators=[InputRequired(message=_l("Kies wie het gesprek aanvraagt."))],
    )
    care_kinds = MultiCheckboxField(
        _l("Soort zorg of ondersteuning"),
        validators=[AtLeastOne(_l("Kies minstens één soort zorg of ondersteuning."))],
    )
    received_via = SelectField(
        _l("Hoe ontvangt de inwoner de zorg"),
        choices=_choices(RECEIVED_VIA),
        validators=[InputRequired(message=_l("Kies hoe de inwoner de zorg ontvangt."))],
    )
    form = SelectField(
        _l("Gewenste vorm"),
        choices=_choices(FORMS),
        validators=[InputRequired(message=_l("Kies de gewenste vorm van het gesprek."))],
    )
    form_address = _text(
        _l("Adres van de plek"),
        300,
        description=_l(
            "Verplicht bij ‘Ergens anders’. Bij ‘thuis’ leeg laten: dan geldt het adres van de inwoner."
        ),
    )
    grouping = SelectField(
        _l("Individueel of in een groep"),
        choices=_choices(GROUPINGS),
        validators=[InputRequired(message=_l("Kies individueel of in een groep."))],
    )
    trusted_name = _text(
        _l("Naam vertrouwenspersoon"),
        200,
        description=_l(
            "Iemand die de inwoner vertrouwt en die aanschuift, bijvoorbeeld de mantelzorger."
        ),
    )
    trusted_relation = _text(_l("Relatie tot de inwoner"), 120)
    needs = MultiCheckboxField(_l("Wat is er nodig"), choices=_choices(NEEDS))
    preferred_times = _text(_l("Voorkeur voor dagen en tijden"), 500)
    client_council_member = BooleanField(_l("De inwoner is lid van een cliëntenraad"))
    channel = SelectField(
        _l("Binnengekomen via"),
        choices=_choices(CHANNELS),
        validators=[InputRequired(message=_l("Kies hoe het verzoek binnenkwam."))],
    )
    requested_on = DutchDateField(
        _l("Datum van het verzoek"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    consent_contact = BooleanField(
        _l("De inwoner geeft toestemming om benaderd te worden voor het gesprek"),
        # DataRequired marks it "(verplicht)" like the other required fields
        validators=[
            DataRequired(
                message=_l(
                    "Zonder toestemming om benaderd te worden kan er geen gesprek worden gepland."
                )
            )
        ],
    )
    consent_anonymised = BooleanField(
        _l("De inwoner geeft toestemming voor geanonimiseerd gebruik van wat hij of zij vertelt")
    )
    consent_method = SelectField(
        _l("Hoe is de toestemming gegeven"),
        choices=_choices(CONSENT_METHODS),
        validators=[InputRequired(message=_l("Kies hoe de toestemming is gegeven."))],
    )

    def validate_requested_on(self, field: DateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_("De datum van het verzoek kan niet in de toekomst liggen."))

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        if self.resident_id.data == 0 and not (self.new_name.data or "").strip():
            self.new_name.errors = [
                *self.new_name.errors,
                _("Vul de naam van de nieuwe inwoner in."),
            ]
            ok = False
        if self.form.data == "elsewhere" and not (self.form_address.data or "").strip():
            self.form_address.errors = [
                *self.form_address.errors,
                _("Vul het adres in van de plek waar de inwoner wil afspreken."),
            ]
            ok = False
        return ok


class MemberForm(FlaskForm):
    name = _text(_l("Naam"), 200, _l("Vul de naam van het raadslid in."))
    party = _text(_l("Partij"), 120, _l("Vul de partij in."))
    email = email_field(
        _l("E-mailadres"),
        _l("Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl."),
    )
    username = StringField(
        _l("Gebruikersnaam op het intranet"),
        description=_l(
            "Koppelt het raadslid aan een medewerkersaccount, ook als die nog nooit heeft ingelogd."
        ),
        validators=[
            Optional(),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
            Regexp(
                r"^[A-Za-z0-9._@-]+\Z",
                message=_l("Gebruik alleen letters, cijfers, punt, streepje, @ en _."),
            ),
        ],
    )
    active = BooleanField(_l("Actief"), default=True)
    in_working_group = BooleanField(_l("Lid van de raadswerkgroep"))
    is_chair = BooleanField(_l("Voorzitter van de raadswerkgroep"))


class DayForm(FlaskForm):
    day = DutchDateField(_l("Datum"), validators=[InputRequired(message=DATE_MESSAGE)])
    title = _text(
        _l("Naam van de dag"), 200, _l("Geef de dag een naam, bijvoorbeeld ‘Vrijdag 1 juli’.")
    )
    location = _text(
        _l("Plaats"), 300, description=_l("Bijvoorbeeld: Stadhuis, Grote Kerkplein 15.")
    )


class SlotForm(FlaskForm):
    starts = DutchTimeField(_l("Begintijd"), validators=[InputRequired(message=TIME_MESSAGE)])
    ends = DutchTimeField(_l("Eindtijd"), validators=[InputRequired(message=TIME_MESSAGE)])
    capacity = IntegerField(
        _l("Aantal gesprekken tegelijk"),
        default=1,
        validators=[
            InputRequired(message=_l("Vul een aantal in.")),
            NumberRange(min=1, max=50, message=_l("Kies een aantal van 1 tot en met 50.")),
        ],
    )
    members = MultiCheckboxField(_l("Beschikbare raadsleden"), coerce=int)

    def validate_ends(self, field: TimeField) -> None:
        if field.data and self.starts.data and field.data <= self.starts.data:
            raise ValidationError(_("De eindtijd moet na de begintijd liggen."))


class AppointmentForm(FlaskForm):
    requests = MultiCheckboxField(
        _l("Inwoners in dit gesprek"),
        coerce=int,
        validators=[AtLeastOne(_l("Kies minstens één inwoner."))],
    )
    slot_id = SelectField(
        _l("Tijdvak op een gespreksdag"),
        coerce=int,
        description=_l(
            "Of kies ‘Op afspraak’ en vul onder ‘Of kies een eigen tijdstip’ datum en tijd in."
        ),
    )
    # declared in the order the page shows them: the error summary follows this order
    members = MultiCheckboxField(
        _l("Raadsleden"),
        coerce=int,
        validators=[AtLeastOne(_l("Kies minstens één raadslid (meestal twee)."))],
    )
    day = DutchDateField(_l("Datum (bij een afspraak)"), validators=[Optional()])
    starts = DutchTimeField(_l("Begintijd"), validators=[Optional()])
    ends = DutchTimeField(_l("Eindtijd"), validators=[Optional()])
    form = SelectField(
        _l("Vorm"),
        choices=_choices(FORMS),
        validators=[InputRequired(message=_l("Kies de vorm van het gesprek."))],
    )
    place = _text(
        _l("Plaats"),
        300,
        description=_l(
            "Bij ‘thuis’ leeg laten: dan geldt het adres van de inwoner. Bij het gemeentehuis: de zaal."
        ),
    )
    reason = _area(_l("Reden van de wijziging"), 1000)

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)

        def fail(field, message: str) -> None:  # type: ignore[no-untyped-def]
            nonlocal ok
            if message not in field.errors:
                field.errors = [*field.errors, message]
            ok = False

        if self.slot_id.data == 0:
            if not self.day.data and not self.day.errors:
                fail(self.day, _("Vul de datum in, of kies een tijdvak."))
            if not self.starts.data and not self.starts.errors:
                fail(self.starts, _("Vul de begintijd in, of kies een tijdvak."))
            if not self.ends.data and not self.ends.errors:
                fail(self.ends, _("Vul de eindtijd in, of kies een tijdvak."))
            if self.starts.data and self.ends.data and self.ends.data <= self.starts.data:
                fail(self.ends, _("De eindtijd moet na de begintijd liggen."))
        if self.form.data == "elsewhere" and not (self.place.data or "").strip():
            fail(self.place, _("Vul in waar het gesprek plaatsvindt."))
        return ok


class CancelForm(FlaskForm):
    reason = _area(_l("Reden van annulering"), 1000, _l("Vul de reden van de annulering in."))


class ReportForm(FlaskForm):
    themes = MultiCheckboxField(
        _l("Thema's"), validators=[AtLeastOne(_l("Kies minstens één thema."))]
    )
    important = _area(
        _l("Wat vindt de inwoner belangrijk"),
        10000,
        _l("Beschrijf wat de inwoner belangrijk vindt."),
    )
    quotes = _area(
        _l("Citaten"),
        5000,
        description=_l(
            "Eén citaat per regel, zonder namen: citaten gaan geanonimiseerd naar het college."
        ),
    )
    ideas = _area(
        _l("Ideeën voor verbetering"),
        5000,
        description=_l("Eén idee per regel. Het college antwoordt per idee."),
    )
    feedback = MultiCheckboxField(_l("Wil terugkoppeling ontvangen"), coerce=int)


class SummaryForm(FlaskForm):
    title = _text(_l("Titel"), 200, _l("Geef de samenvatting een titel."))
    period_start = DutchDateField(_l("Van"), validators=[InputRequired(message=DATE_MESSAGE)])
    period_end = DutchDateField(_l("Tot en met"), validators=[InputRequired(message=DATE_MESSAGE)])

    def validate_period_end(self, field: DateField) -> None:
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_("Het einde van de periode ligt voor het begin."))


#: The default answer term of the college, in working days (about six weeks).
DEFAULT_ANSWER_TERM = 30


class SummarySentForm(FlaskForm):
    """When the summary went to the college, and the term for the college's answers."""

    sent_on = DutchDateField(
        _l("Verstuurd aan het college op"), validators=[InputRequired(message=DATE_MESSAGE)]
    )
    answer_term_days = IntegerField(
        _l("Termijn voor het antwoord (werkdagen)"),
        default=DEFAULT_ANSWER_TERM,
        validators=[
            InputRequired(message=_l("Vul het aantal werkdagen in, bijvoorbeeld 30.")),
            NumberRange(
                min=1, max=250, message=_l("Kies een termijn van 1 tot en met 250 werkdagen.")
            ),
        ],
    )

    def validate_sent_on(self, field: DateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_("De verzenddatum kan niet in de toekomst liggen."))


class AnswerForm(FlaskForm):
    answer = _area(_l("Antwoord van het college"), 5000, _l("Vul het antwoord van het college in."))


class StakeholderForm(FlaskForm):
    held_on = DutchDateField(_l("Datum"), validators=[InputRequired(message=DATE_MESSAGE)])
    with_whom = _text(
        _l("Met wie"),
        300,
        _l("Vul in met wie is gesproken, bijvoorbeeld een zorgaanbieder of deskundige."),
    )
    organisation = SelectField(
        _l("Organisatie uit het register"),
        choices=[],
        validate_choice=False,  # validate_organisation allows "" and nothing off the list
        description=_l(
            "Als een organisatie meedeed, bijvoorbeeld een cliëntorganisatie of het "
            "burgerplatform. Organisaties staan onder Organisaties."
        ),
    )
    by_whom = _text(_l("Namens de werkgroep"), 300)
    notes = _area(_l("Aantekeningen"), 10000)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.organisation.choices = organisation_choices(current_municipality().id)

    def validate_organisation(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Kies een organisatie uit de lijst."))

    def validate_held_on(self, field: DateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_("Een gevoerd gesprek kan niet in de toekomst liggen."))


class ListItemForm(FlaskForm):
    kind = SelectField(
        _l("Lijst"),
        choices=[("care", _l("Soorten zorg en ondersteuning")), ("theme", _l("Thema's"))],
        validators=[InputRequired(message=_l("Kies een lijst."))],
    )
    label = _text(_l("Nieuwe waarde"), 120, _l("Vul de nieuwe waarde in."))


class SettingsForm(FlaskForm):
    clerk_email = email_field(
        _l("E-mailadres van de griffie"),
        _l("Dit is geen geldig e-mailadres, bijvoorbeeld griffie@gemeente.nl."),
    )
    clerk_phone = phone_field(_l("Telefoonnummer van de griffie"))
