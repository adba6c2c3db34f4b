"""Forms of the plugin, each validator with a Dutch message shown next to its field."""

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
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from intranet.plugin_api import (
    DATE_MESSAGE,
    DATETIME_MESSAGE,
    DutchDateField,
    DutchDateTimeField,
    _,
    _l,
    local_today,
)

from .models import (
    CONTRIBUTION_SOURCES,
    CONVERSATION_KINDS,
    GROUP_STATUSES,
    OUTCOME_DECISIONS,
    QUESTION_KINDS,
    RESPONSE_CHANNELS,
    RESULT_KINDS,
    SIGNUP_CHANNELS,
    TRAJECTORY_ORIGINS,
)
from .sixsteps import LADDER, STEPS


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_formdata(self, valuelist: list) -> None:  # type: ignore[type-arg]
        """A blank value (``attendees=``) means "nothing ticked", not a choice of its own."""
        # raw_data too: ``Optional()`` looks at the first raw value, and must not clear the
        # choice error of ``attendees=&attendees=999``
        self.raw_data = [v for v in valuelist if str(v).strip() != ""]
        super().process_formdata(self.raw_data)


def _choice(message: str) -> dict[str, str]:
    return {"invalid_choice_message": message, "invalid_value_message": message}


def to_int(value: object) -> int | None:
    """Coerce a choice to int; rubbish becomes None, which is no valid choice (Dutch message)."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _web_link(form: FlaskForm, field: StringField) -> None:
    """Only http(s) links with a host: never ``javascript:`` or other schemes in an href."""
    value = (field.data or "").strip()
    if not value:
        return
    scheme, sep, rest = value.partition("://")
    host = rest.split("/", 1)[0]
    if (
        not sep
        or scheme.lower() not in ("http", "https")
        or not host
        or " " in value
        or "." not in host
    ):
        raise ValidationError(_("Vul een volledige link in, beginnend met https://."))


def _between(low: int, high: int):  # type: ignore[no-untyped-def]
    """NumberRange that stays silent when the value was no number (that has its own message)."""

    def check(form: FlaskForm, field: IntegerField) -> None:
        if field.data is not None and not (low <= field.data <= high):
            raise ValidationError(
                _("Kies een getal van %(low)s tot en met %(high)s.", low=low, high=high)
            )

    return check


def _not_in_future(form: FlaskForm, field: DateField) -> None:
    if field.data and field.data > local_today():
        raise ValidationError(_("De datum kan niet in de toekomst liggen."))


class GroupForm(FlaskForm):
    theme = StringField(
        _l("Thema"),
        validators=[
            DataRequired(message=_l("Vul het thema van de meedenkgroep in.")),
            Length(max=200, message=_l("Het thema mag hoogstens 200 tekens lang zijn.")),
        ],
    )
    description = TextAreaField(
        _l("Beschrijving"),
        validators=[Optional(), Length(max=5000, message=_l("Hoogstens 5000 tekens."))],
        description=_l("Zoals inwoners het op de website lezen."),
    )
    goal = TextAreaField(
        _l("Doel"),
        validators=[
            DataRequired(message=_l("Beschrijf het doel van de meedenkgroep.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )
    status = SelectField(
        _l("Status"),
        choices=list(GROUP_STATUSES.items()),
        validators=[InputRequired(message=_l("Kies een status."))],
        **_choice(_l("Kies een van de statussen.")),
    )
    mailbox = StringField(
        _l("Contactmailbox"),
        validators=[
            DataRequired(message=_l("Vul de mailbox in waar inwoners zich aanmelden.")),
            Email(message=_l("Dit is geen geldig e-mailadres, bijvoorbeeld naam@gemeente.nl.")),
            Length(max=254, message=_l("Het e-mailadres is te lang.")),
        ],
    )
    channel_url = StringField(
        _l("Link naar het eigen kanaal van de groep"),
        validators=[
            Optional(),
            _web_link,
            Length(max=500, message=_l("De link mag hoogstens 500 tekens lang zijn.")),
        ],
        description=_l("Bijvoorbeeld een besloten Facebookgroep. Niet verplicht."),
    )
    channel_label = StringField(
        _l("Naam van dat kanaal"),
        validators=[Optional(), Length(max=200, message=_l("Hoogstens 200 tekens."))],
    )
    owner_id = SelectField(
        _l("Eigenaar"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies een eigenaar."))],
        **_choice(_l("Kies een medewerker uit de lijst.")),
    )


class MembershipForm(FlaskForm):
    resident_id = SelectField(
        _l("Inwoner"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies de inwoner die zich aanmeldt."))],
        description=_l(
            "Staat de inwoner er niet bij? Kies ‘Nieuwe inwoner’ en vul hieronder naam en "
            "contactgegevens in: de inwoner wordt dan meteen in het inwonersregister gezet."
        ),
        **_choice(_l("Kies een inwoner uit de lijst.")),
    )
    new_name = StringField(
        _l("Naam van de nieuwe inwoner"),
        validators=[Optional(), Length(max=200, message=_l("Hoogstens 200 tekens."))],
    )
    new_email = StringField(
        _l("E-mailadres van de nieuwe inwoner"),
        validators=[
            Optional(),
            Length(max=254, message=_l("Hoogstens 254 tekens.")),
            Email(message=_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")),
        ],
    )
    new_phone = StringField(
        _l("Telefoonnummer van de nieuwe inwoner"),
        validators=[Optional(), Length(max=40, message=_l("Hoogstens 40 tekens."))],
    )
    signed_up_on = DutchDateField(
        _l("Datum van aanmelding"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    channel = SelectField(
        _l("Hoe aangemeld"),
        choices=list(SIGNUP_CHANNELS.items()),
        validators=[InputRequired(message=_l("Kies hoe de inwoner zich aanmeldde."))],
        **_choice(_l("Kies een van de mogelijkheden.")),
    )
    motivation = TextAreaField(
        _l("Motivatie"),
        validators=[Optional(), Length(max=2000, message=_l("Hoogstens 2000 tekens."))],
        description=_l("Kort, in de woorden van de inwoner. Geen medische gegevens."),
    )
    wants_minutes = BooleanField(_l("Wil de opbrengsten en notulen per e-mail ontvangen"))


class ProposalForm(FlaskForm):
    theme = StringField(
        _l("Voorgesteld thema"),
        validators=[
            DataRequired(message=_l("Vul het voorgestelde thema in.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    description = TextAreaField(
        _l("Toelichting"),
        validators=[Optional(), Length(max=5000, message=_l("Hoogstens 5000 tekens."))],
    )
    resident_id = SelectField(
        _l("Voorgesteld door"),
        coerce=to_int,
        validators=[Optional()],
        **_choice(_l("Kies een inwoner uit de lijst.")),
    )
    received_on = DutchDateField(
        _l("Ontvangen op"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    wants_decision = BooleanField(
        _l("De indiener wil per e-mail horen wat er besloten wordt (toestemming)")
    )

    def validate_wants_decision(self, field: BooleanField) -> None:
        if field.data and not self.resident_id.data:
            raise ValidationError(
                _("Kies wie het voorstel deed; alleen dan kan die het besluit horen.")
            )


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Besluit"),
        choices=[("toegekend", _l("Groep wordt opgericht")), ("afgewezen", _l("Niet opgericht"))],
        validators=[InputRequired(message=_l("Kies een besluit."))],
        **_choice(_l("Kies een van de besluiten.")),
    )
    reason = TextAreaField(
        _l("Reden"),
        validators=[
            DataRequired(
                message=_l("Geef de reden van het besluit; de inwoner krijgt die te horen.")
            ),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class MeetingForm(FlaskForm):
    starts_at = DutchDateTimeField(
        _l("Datum en tijd"), validators=[InputRequired(message=DATETIME_MESSAGE)]
    )
    online = BooleanField(_l("Online bijeenkomst"))
    location = StringField(
        _l("Plaats of link"),
        validators=[
            DataRequired(message=_l("Vul de plaats in, of bij een online bijeenkomst de link.")),
            Length(max=300, message=_l("Hoogstens 300 tekens.")),
        ],
    )
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[Optional(), Length(max=5000, message=_l("Hoogstens 5000 tekens."))],
    )
    follow_up_of_id = SelectField(
        _l("Vervolg op bijeenkomst"),
        coerce=to_int,
        validators=[Optional()],
        description=_l(
            "Kies de bijeenkomst waarvan u in deze bijeenkomst vertelt wat er met de opbrengsten is gedaan."
        ),
        **_choice(_l("Kies een eerdere bijeenkomst van deze groep.")),
    )


class AttendanceForm(FlaskForm):
    attendees = CheckboxListField(
        _l("Aanwezig"),
        coerce=to_int,
        validators=[Optional()],
        **_choice(_l("Kies alleen leden van de groep.")),
    )
    organisations = CheckboxListField(
        _l("Aanwezige organisaties"),
        coerce=to_int,
        validators=[Optional()],
        description=_l(
            "Uit het register van de gemeente; hun contactpersonen krijgen de "
            "opbrengsten (met toestemming)."
        ),
        **_choice(_l("Kies alleen organisaties uit de lijst.")),
    )


class OutcomeForm(FlaskForm):
    text = TextAreaField(
        _l("Opbrengst"),
        validators=[
            DataRequired(message=_l("Beschrijf de opbrengst.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class OutcomeDecisionForm(FlaskForm):
    decision = SelectField(
        _l("Wat is ermee gedaan?"),
        choices=list(OUTCOME_DECISIONS.items()),
        validators=[InputRequired(message=_l("Kies wat er met de opbrengst is gedaan."))],
        **_choice(_l("Kies overgenomen, deels of niet.")),
    )
    explanation = TextAreaField(
        _l("Uitleg"),
        validators=[
            DataRequired(message=_l("Leg uit wat er met de opbrengst is gedaan.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class PanelForm(FlaskForm):
    name = StringField(
        _l("Naam"),
        validators=[
            DataRequired(message=_l("Vul de naam van het panel in.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    description = TextAreaField(
        _l("Beschrijving"),
        validators=[Optional(), Length(max=5000, message=_l("Hoogstens 5000 tekens."))],
    )
    themes = TextAreaField(
        _l("Thema's"),
        validators=[Optional(), Length(max=2000, message=_l("Hoogstens 2000 tekens."))],
        description=_l("Eén thema per regel. Leden kiezen de thema’s die hen aanspreken."),
    )
    mailbox = StringField(
        _l("Contactmailbox"),
        validators=[
            Optional(),
            Email(message=_l("Dit is geen geldig e-mailadres, bijvoorbeeld naam@gemeente.nl.")),
            Length(max=254, message=_l("Het e-mailadres is te lang.")),
        ],
    )

    def theme_list(self) -> list[str]:
        seen: list[str] = []
        for line in (self.themes.data or "").splitlines():
            t = line.strip()[:100]
            if t and t not in seen:
                seen.append(t)
        return seen


class PanelMemberForm(FlaskForm):
    resident_id = SelectField(
        _l("Inwoner"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies de inwoner die zich aanmeldt."))],
        **_choice(_l("Kies een inwoner uit de lijst.")),
    )
    themes = CheckboxListField(
        _l("Thema's"), validators=[Optional()], **_choice(_l("Kies alleen thema’s van dit panel."))
    )
    joined_on = DutchDateField(
        _l("Datum van aanmelding"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    channel = SelectField(
        _l("Hoe aangemeld"),
        choices=list(SIGNUP_CHANNELS.items()),
        validators=[InputRequired(message=_l("Kies hoe de inwoner zich aanmeldde."))],
        **_choice(_l("Kies een van de mogelijkheden.")),
    )


class QuestionnaireForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(message=_l("Vul de titel van de vragenlijst in.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    intro = TextAreaField(
        _l("Inleiding"),
        validators=[Optional(), Length(max=5000, message=_l("Hoogstens 5000 tekens."))],
        description=_l("Komt in de e-mail en boven de vragen."),
    )
    panel_id = SelectField(
        _l("Panel"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies een panel."))],
        **_choice(_l("Kies een panel uit de lijst.")),
    )
    opens_on = DutchDateField(
        _l("Open vanaf"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    closes_on = DutchDateField(
        _l("Open tot en met"),
        validators=[InputRequired(message=DATE_MESSAGE)],
    )

    # after the dates: the period's two dates follow each other, the optional themes last
    themes = CheckboxListField(
        _l("Alleen leden met deze thema’s"),
        validators=[Optional()],
        description=_l("Kiest u niets, dan gaat de vragenlijst naar het hele panel."),
        **_choice(_l("Kies alleen thema’s van het gekozen panel.")),
    )

    def validate_closes_on(self, field: DateField) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_("De sluitingsdatum ligt vóór de openingsdatum."))
        if field.data and field.data < local_today():
            raise ValidationError(_("De sluitingsdatum ligt in het verleden."))


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Soort vraag"),
        choices=list(QUESTION_KINDS.items()),
        validators=[InputRequired(message=_l("Kies een soort vraag."))],
        **_choice(_l("Kies een van de soorten vragen.")),
    )
    text = StringField(
        _l("Vraag"),
        validators=[
            DataRequired(message=_l("Vul de vraag in.")),
            Length(max=500, message=_l("Hoogstens 500 tekens.")),
        ],
    )
    options = TextAreaField(
        _l("Antwoordmogelijkheden"),
        validators=[Length(max=3000, message=_l("Hoogstens 3000 tekens."))],
        description=_l("Bij één of meerdere keuzes: één antwoord per regel, minstens twee."),
    )
    scale_min = IntegerField(
        _l("Schaal van"),
        default=1,
        invalid_value_message=_l("Vul een heel getal in."),
        validators=[
            Optional(),
            _between(0, 10),
        ],
    )
    scale_max = IntegerField(
        _l("Schaal tot en met"),
        default=5,
        invalid_value_message=_l("Vul een heel getal in."),
        validators=[
            Optional(),
            _between(1, 10),
        ],
    )
    scale_min_label = StringField(
        _l("Betekenis van het laagste getal"),
        validators=[Optional(), Length(max=100, message=_l("Hoogstens 100 tekens."))],
    )
    scale_max_label = StringField(
        _l("Betekenis van het hoogste getal"),
        validators=[Optional(), Length(max=100, message=_l("Hoogstens 100 tekens."))],
    )

    def option_list(self) -> list[str]:
        out: list[str] = []
        for line in (self.options.data or "").splitlines():
            t = line.strip()[:200]
            if t and t not in out:
                out.append(t)
        return out

    def validate_options(self, field: TextAreaField) -> None:
        if self.kind.data in ("single", "multiple") and len(self.option_list()) < 2:
            raise ValidationError(_("Geef minstens twee antwoordmogelijkheden, één per regel."))

    def validate_scale_max(self, field: IntegerField) -> None:
        if self.kind.data == "scale":
            low = self.scale_min.data if self.scale_min.data is not None else 1
            high = field.data if field.data is not None else 5
            if high <= low:
                raise ValidationError(_("Het hoogste getal moet groter zijn dan het laagste."))


class PaperResponseForm(FlaskForm):
    channel = SelectField(
        _l("Hoe ontvangen"),
        choices=[(k, v) for k, v in RESPONSE_CHANNELS.items() if k != "online"],
        validators=[InputRequired(message=_l("Kies hoe de antwoorden binnenkwamen."))],
        **_choice(_l("Kies op papier of telefonisch.")),
    )
    invitation_id = SelectField(
        _l("Van welke uitgenodigde inwoner"),
        coerce=to_int,
        validators=[Optional()],
        description=_l(
            "Niet verplicht. Kiest u iemand, dan krijgt die geen herinnering meer en werkt de link niet meer."
        ),
        **_choice(_l("Kies een uitgenodigde inwoner uit de lijst.")),
    )


# -- trajectories -----------------------------------------------------------------------------
class TrajectoryForm(FlaskForm):
    topic = StringField(
        _l("Onderwerp"),
        validators=[
            DataRequired(message=_l("Vul het onderwerp in.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    origin = SelectField(
        _l("Herkomst van het idee of de vraag"),
        choices=list(TRAJECTORY_ORIGINS.items()),
        validators=[InputRequired(message=_l("Kies waar het idee of de vraag vandaan komt."))],
        **_choice(_l("Kies inwoner of gemeente.")),
    )
    origin_note = TextAreaField(
        _l("Het idee of de vraag"),
        validators=[
            DataRequired(message=_l("Beschrijf het idee of de vraag.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
        description=_l("Bij een vraag van de gemeente: de opdracht, het knelpunt of het voorstel."),
    )
    owner_id = SelectField(
        _l("Eigenaar"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies een eigenaar."))],
        **_choice(_l("Kies een medewerker uit de lijst.")),
    )


class InformationForm(FlaskForm):
    information = TextAreaField(
        _l("Beschikbare informatie"),
        validators=[Optional(), Length(max=10000, message=_l("Hoogstens 10000 tekens."))],
    )


class DocumentForm(FlaskForm):
    title = StringField(
        _l("Titel van het beleidsstuk"),
        validators=[
            DataRequired(message=_l("Vul de titel van het stuk in.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    url = StringField(
        _l("Link"),
        validators=[
            Optional(),
            _web_link,
            Length(max=500, message=_l("Hoogstens 500 tekens.")),
        ],
    )


class ConversationForm(FlaskForm):
    held_on = DutchDateField(
        _l("Datum"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    kind = SelectField(
        _l("Soort gesprek"),
        choices=list(CONVERSATION_KINDS.items()),
        validators=[InputRequired(message=_l("Kies individueel of georganiseerd."))],
        **_choice(_l("Kies individueel of georganiseerd.")),
    )
    participants = StringField(
        _l("Wie deden mee"),
        validators=[
            InputRequired(
                message=_l("Beschrijf wie er meededen, bijvoorbeeld 'Burgerplatform, 6 cliënten'.")
            ),
            Length(max=500, message=_l("Hoogstens 500 tekens.")),
        ],
        description=_l("Beschrijf groepen, geen namen van inwoners."),
    )
    summary = TextAreaField(
        _l("Wat kwam er op tafel"),
        validators=[Optional(), Length(max=10000, message=_l("Hoogstens 10000 tekens."))],
    )


class ParticipantGroupForm(FlaskForm):
    name = StringField(
        _l("Groep deelnemers"),
        validators=[
            DataRequired(message=_l("Vul de groep deelnemers in, bijvoorbeeld 'cliënten'.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    rung = SelectField(
        _l("Invloed (participatieladder)"),
        choices=[(k, f"{plain} ({name.lower()})") for k, (plain, name) in LADDER.items()],
        validators=[InputRequired(message=_l("Kies welke invloed deze groep heeft."))],
        **_choice(_l("Kies een trede van de participatieladder.")),
    )


class TrajectoryParticipantForm(FlaskForm):
    """A resident or an organisation from the registry into one of the step-3 groups."""

    group_id = SelectField(
        _l("Groep deelnemers"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies de groep deelnemers."))],
        **_choice(_l("Kies een groep deelnemers uit de lijst.")),
    )
    resident_id = SelectField(
        _l("Inwoner"),
        coerce=to_int,
        validators=[Optional()],
        description=_l(
            "Staat de inwoner er niet bij? Registreer hem of haar eerst in het inwonersregister."
        ),
        **_choice(_l("Kies een inwoner uit de lijst.")),
    )
    organisation_id = SelectField(
        _l("Of een organisatie"),
        coerce=to_int,
        validators=[Optional()],
        description=_l(
            "Een cliëntorganisatie, zorgaanbieder of het burgerplatform uit het "
            "register. De terugkoppeling gaat naar de contactpersonen van de organisatie."
        ),
        **_choice(_l("Kies een organisatie uit de lijst.")),
    )
    wants_feedback = BooleanField(
        _l("De inwoner wil per e-mail horen wat er met de bijdragen is gedaan (toestemming)")
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        """The either/or checks run here, not as field validators: ``Optional()`` stops a
        field's chain when it is left out of the post, and then nothing would be checked."""
        ok = super().validate(extra_validators)
        resident, organisation = self.resident_id.data, self.organisation_id.data
        if not self.resident_id.errors and not self.organisation_id.errors:
            if not resident and not organisation:
                self.resident_id.errors.append(_("Kies een inwoner of een organisatie."))
                ok = False
            elif resident and organisation:
                self.resident_id.errors.append(
                    _("Kies een inwoner óf een organisatie, niet allebei.")
                )
                ok = False
        if self.wants_feedback.data and not resident:
            self.wants_feedback.errors.append(
                _(
                    "Alleen een inwoner geeft zelf toestemming; voor een organisatie geldt die "
                    "van haar contactpersonen."
                )
            )
            ok = False
        return ok


class ContributionForm(FlaskForm):
    source = SelectField(
        _l("Afkomstig uit"),
        choices=list(CONTRIBUTION_SOURCES.items()),
        validators=[InputRequired(message=_l("Kies waar de bijdrage vandaan komt."))],
        **_choice(_l("Kies een van de bronnen.")),
    )
    source_note = StringField(
        _l("Welke bijeenkomst, vragenlijst of welk gesprek"),
        validators=[Optional(), Length(max=300, message=_l("Hoogstens 300 tekens."))],
    )
    meeting_id = SelectField(
        _l("Bijeenkomst van een meedenkgroep"),
        coerce=to_int,
        validators=[Optional()],
        description=_l(
            "Niet verplicht. De aanwezigen horen later wat er met de bijdrage is gedaan."
        ),
        **_choice(_l("Kies een bijeenkomst uit de lijst.")),
    )
    text = TextAreaField(
        _l("Bijdrage"),
        validators=[
            DataRequired(message=_l("Beschrijf de bijdrage.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class QuestionnaireContributionsForm(FlaskForm):
    """Step 4: take the answers to one open question of a questionnaire in as contributions."""

    question_id = SelectField(
        _l("Open vraag uit een vragenlijst"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies een vraag uit de lijst."))],
        description=_l(
            "Elk ingevuld antwoord wordt een bijdrage, nog niet gecontroleerd op volledigheid."
        ),
        **_choice(_l("Kies een vraag uit de lijst.")),
    )


class ContributionDecisionForm(FlaskForm):
    decision = SelectField(
        _l("Meenemen?"),
        choices=[("gebruikt", _l("Meegenomen")), ("niet_gebruikt", _l("Niet meegenomen"))],
        validators=[InputRequired(message=_l("Kies of de bijdrage wordt meegenomen."))],
        **_choice(_l("Kies meegenomen of niet meegenomen.")),
    )
    explanation = TextAreaField(
        _l("Uitleg"),
        validators=[Length(max=5000, message=_l("Hoogstens 5000 tekens."))],
        description=_l("Verplicht als de bijdrage niet wordt meegenomen."),
    )

    def validate_explanation(self, field: TextAreaField) -> None:
        if self.decision.data == "niet_gebruikt" and not (field.data or "").strip():
            raise ValidationError(_("Leg uit waarom deze bijdrage niet wordt meegenomen."))


class InvolvementForm(FlaskForm):
    involvement_ok = SelectField(
        _l("Is iedereen voldoende betrokken geweest?"),
        choices=[("ja", _l("Ja")), ("nee", _l("Nee, nog niet"))],
        validators=[InputRequired(message=_l("Kies ja of nee."))],
        **_choice(_l("Kies ja of nee.")),
    )
    involvement_note = TextAreaField(
        _l("Toelichting"),
        validators=[
            DataRequired(message=_l("Licht toe wie er betrokken waren en of dat genoeg was.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class BackForm(FlaskForm):
    to_step = SelectField(
        _l("Terug naar"),
        coerce=to_int,
        validators=[InputRequired(message=_l("Kies een eerdere stap."))],
        **_choice(_l("Kies een eerdere stap.")),
    )
    reason = TextAreaField(
        _l("Reden"),
        validators=[
            DataRequired(message=_l("Geef de reden om terug te gaan.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class AdvanceForm(FlaskForm):
    note = TextAreaField(
        _l("Toelichting (niet verplicht)"),
        validators=[Optional(), Length(max=5000, message=_l("Hoogstens 5000 tekens."))],
    )


class QuestionnaireFeedbackForm(FlaskForm):
    """What the answers led to, mailed to the panel members who answered."""

    feedback_text = TextAreaField(
        _l("Wat we met de antwoorden hebben gedaan"),
        validators=[
            DataRequired(message=_l("Beschrijf wat er met de antwoorden is gedaan.")),
            Length(max=10000, message=_l("Hoogstens 10000 tekens.")),
        ],
    )


class NextStepsForm(FlaskForm):
    """Step 5: what happens next, so participants hear it with the feedback."""

    next_steps = TextAreaField(
        _l("Volgende stappen"),
        validators=[
            DataRequired(message=_l("Beschrijf de volgende stappen.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class InterimResultForm(FlaskForm):
    """Step 6: a result on the way; the trajectory stays open."""

    interim_text = TextAreaField(
        _l("Tussenresultaat"),
        validators=[
            DataRequired(message=_l("Beschrijf het tussenresultaat.")),
            Length(max=5000, message=_l("Hoogstens 5000 tekens.")),
        ],
    )


class ResultForm(FlaskForm):
    result_kind = SelectField(
        _l("Soort resultaat"),
        choices=list(RESULT_KINDS.items()),
        validators=[InputRequired(message=_l("Kies het soort resultaat."))],
        **_choice(_l("Kies advies, opdracht of voorstel.")),
    )
    result_text = TextAreaField(
        _l("Resultaat"),
        validators=[
            DataRequired(message=_l("Beschrijf het resultaat.")),
            Length(max=10000, message=_l("Hoogstens 10000 tekens.")),
        ],
    )
    new_trajectory = BooleanField(_l("Dit leidt tot een nieuw traject (weer bij stap 1)"))
    new_topic = StringField(
        _l("Onderwerp van het nieuwe traject"),
        validators=[Length(max=200, message=_l("Hoogstens 200 tekens."))],
    )

    def validate_new_topic(self, field: StringField) -> None:
        if self.new_trajectory.data and not (field.data or "").strip():
            raise ValidationError(_("Vul het onderwerp van het nieuwe traject in."))


STEP_CHOICES = list(STEPS.items())
