"""Forms of the plugin, each validator with a Dutch message shown next to its field."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
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
    DutchDateField,
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
        raise ValidationError("Vul een volledige link in, beginnend met https://.")


def _between(low: int, high: int):  # type: ignore[no-untyped-def]
    """NumberRange that stays silent when the value was no number (that has its own message)."""

    def check(form: FlaskForm, field: IntegerField) -> None:
        if field.data is not None and not (low <= field.data <= high):
            raise ValidationError(f"Kies een getal van {low} tot en met {high}.")

    return check


def _not_in_future(form: FlaskForm, field: DateField) -> None:
    if field.data and field.data > local_today():
        raise ValidationError("De datum kan niet in de toekomst liggen.")


class GroupForm(FlaskForm):
    theme = StringField(
        "Thema",
        validators=[
            DataRequired(message="Vul het thema van de meedenkgroep in."),
            Length(max=200, message="Het thema mag hoogstens 200 tekens lang zijn."),
        ],
    )
    description = TextAreaField(
        "Beschrijving",
        validators=[Optional(), Length(max=5000, message="Hoogstens 5000 tekens.")],
        description="Zoals inwoners het op de website lezen.",
    )
    goal = TextAreaField(
        "Doel",
        validators=[
            DataRequired(message="Beschrijf het doel van de meedenkgroep."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )
    status = SelectField(
        "Status",
        choices=list(GROUP_STATUSES.items()),
        validators=[InputRequired(message="Kies een status.")],
        **_choice("Kies een van de statussen."),
    )
    mailbox = StringField(
        "Contactmailbox",
        validators=[
            DataRequired(message="Vul de mailbox in waar inwoners zich aanmelden."),
            Email(message="Dit is geen geldig e-mailadres, bijvoorbeeld naam@gemeente.nl."),
            Length(max=254, message="Het e-mailadres is te lang."),
        ],
    )
    channel_url = StringField(
        "Link naar het eigen kanaal van de groep",
        validators=[
            Optional(),
            _web_link,
            Length(max=500, message="De link mag hoogstens 500 tekens lang zijn."),
        ],
        description="Bijvoorbeeld een besloten Facebookgroep. Niet verplicht.",
    )
    channel_label = StringField(
        "Naam van dat kanaal",
        validators=[Optional(), Length(max=200, message="Hoogstens 200 tekens.")],
    )
    owner_id = SelectField(
        "Eigenaar",
        coerce=to_int,
        validators=[InputRequired(message="Kies een eigenaar.")],
        **_choice("Kies een medewerker uit de lijst."),
    )


class MembershipForm(FlaskForm):
    resident_id = SelectField(
        "Inwoner",
        coerce=to_int,
        validators=[InputRequired(message="Kies de inwoner die zich aanmeldt.")],
        description=lazy_gettext(
            "Staat de inwoner er niet bij? Kies ‘Nieuwe inwoner’ en vul hieronder naam en "
            "contactgegevens in: de inwoner wordt dan meteen in het inwonersregister gezet."
        ),
        **_choice("Kies een inwoner uit de lijst."),
    )
    new_name = StringField(
        lazy_gettext("Naam van de nieuwe inwoner"),
        validators=[Optional(), Length(max=200, message=lazy_gettext("Hoogstens 200 tekens."))],
    )
    new_email = StringField(
        lazy_gettext("E-mailadres van de nieuwe inwoner"),
        validators=[
            Optional(),
            Length(max=254, message=lazy_gettext("Hoogstens 254 tekens.")),
            Email(
                message=lazy_gettext(
                    "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
                )
            ),
        ],
    )
    new_phone = StringField(
        lazy_gettext("Telefoonnummer van de nieuwe inwoner"),
        validators=[Optional(), Length(max=40, message=lazy_gettext("Hoogstens 40 tekens."))],
    )
    signed_up_on = DutchDateField(
        "Datum van aanmelding",
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    channel = SelectField(
        "Hoe aangemeld",
        choices=list(SIGNUP_CHANNELS.items()),
        validators=[InputRequired(message="Kies hoe de inwoner zich aanmeldde.")],
        **_choice("Kies een van de mogelijkheden."),
    )
    motivation = TextAreaField(
        "Motivatie",
        validators=[Optional(), Length(max=2000, message="Hoogstens 2000 tekens.")],
        description="Kort, in de woorden van de inwoner. Geen medische gegevens.",
    )
    wants_minutes = BooleanField("Wil de opbrengsten en notulen per e-mail ontvangen")


class ProposalForm(FlaskForm):
    theme = StringField(
        "Voorgesteld thema",
        validators=[
            DataRequired(message="Vul het voorgestelde thema in."),
            Length(max=200, message="Hoogstens 200 tekens."),
        ],
    )
    description = TextAreaField(
        "Toelichting", validators=[Optional(), Length(max=5000, message="Hoogstens 5000 tekens.")]
    )
    resident_id = SelectField(
        "Voorgesteld door",
        coerce=to_int,
        validators=[Optional()],
        **_choice("Kies een inwoner uit de lijst."),
    )
    received_on = DutchDateField(
        "Ontvangen op",
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    wants_decision = BooleanField(
        "De indiener wil per e-mail horen wat er besloten wordt (toestemming)"
    )

    def validate_wants_decision(self, field: BooleanField) -> None:
        if field.data and not self.resident_id.data:
            raise ValidationError(
                "Kies wie het voorstel deed; alleen dan kan die het besluit horen."
            )


class DecisionForm(FlaskForm):
    decision = SelectField(
        "Besluit",
        choices=[("toegekend", "Groep wordt opgericht"), ("afgewezen", "Niet opgericht")],
        validators=[InputRequired(message="Kies een besluit.")],
        **_choice("Kies een van de besluiten."),
    )
    reason = TextAreaField(
        "Reden",
        validators=[
            DataRequired(message="Geef de reden van het besluit; de inwoner krijgt die te horen."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class MeetingForm(FlaskForm):
    starts_at = DateTimeLocalField(
        "Datum en tijd",
        format="%Y-%m-%dT%H:%M",
        invalid_value_message="Vul een geldige datum en tijd in, bijvoorbeeld 21-11-2026 19:30.",
        validators=[
            InputRequired(
                message="Vul een geldige datum en tijd in, bijvoorbeeld 21-11-2026 19:30."
            )
        ],
    )
    online = BooleanField("Online bijeenkomst")
    location = StringField(
        "Plaats of link",
        validators=[
            DataRequired(message="Vul de plaats in, of bij een online bijeenkomst de link."),
            Length(max=300, message="Hoogstens 300 tekens."),
        ],
    )
    agenda = TextAreaField(
        "Agenda", validators=[Optional(), Length(max=5000, message="Hoogstens 5000 tekens.")]
    )
    follow_up_of_id = SelectField(
        "Vervolg op bijeenkomst",
        coerce=to_int,
        validators=[Optional()],
        description="Kies de bijeenkomst waarvan u in deze bijeenkomst vertelt wat er met de opbrengsten is gedaan.",
        **_choice("Kies een eerdere bijeenkomst van deze groep."),
    )


class AttendanceForm(FlaskForm):
    attendees = CheckboxListField(
        "Aanwezig",
        coerce=to_int,
        validators=[Optional()],
        **_choice("Kies alleen leden van de groep."),
    )


class OutcomeForm(FlaskForm):
    text = TextAreaField(
        "Opbrengst",
        validators=[
            DataRequired(message="Beschrijf de opbrengst."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class OutcomeDecisionForm(FlaskForm):
    decision = SelectField(
        "Wat is ermee gedaan?",
        choices=list(OUTCOME_DECISIONS.items()),
        validators=[InputRequired(message="Kies wat er met de opbrengst is gedaan.")],
        **_choice("Kies overgenomen, deels of niet."),
    )
    explanation = TextAreaField(
        "Uitleg",
        validators=[
            DataRequired(message="Leg uit wat er met de opbrengst is gedaan."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class PanelForm(FlaskForm):
    name = StringField(
        "Naam",
        validators=[
            DataRequired(message="Vul de naam van het panel in."),
            Length(max=200, message="Hoogstens 200 tekens."),
        ],
    )
    description = TextAreaField(
        "Beschrijving", validators=[Optional(), Length(max=5000, message="Hoogstens 5000 tekens.")]
    )
    themes = TextAreaField(
        "Thema's",
        validators=[Optional(), Length(max=2000, message="Hoogstens 2000 tekens.")],
        description="Eén thema per regel. Leden kiezen de thema’s die hen aanspreken.",
    )
    mailbox = StringField(
        "Contactmailbox",
        validators=[
            Optional(),
            Email(message="Dit is geen geldig e-mailadres, bijvoorbeeld naam@gemeente.nl."),
            Length(max=254, message="Het e-mailadres is te lang."),
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
        "Inwoner",
        coerce=to_int,
        validators=[InputRequired(message="Kies de inwoner die zich aanmeldt.")],
        **_choice("Kies een inwoner uit de lijst."),
    )
    themes = CheckboxListField(
        "Thema's", validators=[Optional()], **_choice("Kies alleen thema’s van dit panel.")
    )
    joined_on = DutchDateField(
        "Datum van aanmelding",
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    channel = SelectField(
        "Hoe aangemeld",
        choices=list(SIGNUP_CHANNELS.items()),
        validators=[InputRequired(message="Kies hoe de inwoner zich aanmeldde.")],
        **_choice("Kies een van de mogelijkheden."),
    )


class QuestionnaireForm(FlaskForm):
    title = StringField(
        "Titel",
        validators=[
            DataRequired(message="Vul de titel van de vragenlijst in."),
            Length(max=200, message="Hoogstens 200 tekens."),
        ],
    )
    intro = TextAreaField(
        "Inleiding",
        validators=[Optional(), Length(max=5000, message="Hoogstens 5000 tekens.")],
        description="Komt in de e-mail en boven de vragen.",
    )
    panel_id = SelectField(
        "Panel",
        coerce=to_int,
        validators=[InputRequired(message="Kies een panel.")],
        **_choice("Kies een panel uit de lijst."),
    )
    themes = CheckboxListField(
        "Alleen leden met deze thema’s",
        validators=[Optional()],
        description="Kiest u niets, dan gaat de vragenlijst naar het hele panel.",
        **_choice("Kies alleen thema’s van het gekozen panel."),
    )
    opens_on = DutchDateField(
        "Open vanaf",
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    closes_on = DutchDateField(
        "Open tot en met",
        validators=[InputRequired(message=DATE_MESSAGE)],
    )

    def validate_closes_on(self, field: DateField) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("De sluitingsdatum ligt vóór de openingsdatum.")
        if field.data and field.data < local_today():
            raise ValidationError("De sluitingsdatum ligt in het verleden.")


class QuestionForm(FlaskForm):
    kind = SelectField(
        "Soort vraag",
        choices=list(QUESTION_KINDS.items()),
        validators=[InputRequired(message="Kies een soort vraag.")],
        **_choice("Kies een van de soorten vragen."),
    )
    text = StringField(
        "Vraag",
        validators=[
            DataRequired(message="Vul de vraag in."),
            Length(max=500, message="Hoogstens 500 tekens."),
        ],
    )
    options = TextAreaField(
        "Antwoordmogelijkheden",
        validators=[Length(max=3000, message="Hoogstens 3000 tekens.")],
        description="Bij één of meerdere keuzes: één antwoord per regel, minstens twee.",
    )
    scale_min = IntegerField(
        "Schaal van",
        default=1,
        invalid_value_message="Vul een heel getal in.",
        validators=[
            Optional(),
            _between(0, 10),
        ],
    )
    scale_max = IntegerField(
        "Schaal tot en met",
        default=5,
        invalid_value_message="Vul een heel getal in.",
        validators=[
            Optional(),
            _between(1, 10),
        ],
    )
    scale_min_label = StringField(
        "Betekenis van het laagste getal",
        validators=[Optional(), Length(max=100, message="Hoogstens 100 tekens.")],
    )
    scale_max_label = StringField(
        "Betekenis van het hoogste getal",
        validators=[Optional(), Length(max=100, message="Hoogstens 100 tekens.")],
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
            raise ValidationError("Geef minstens twee antwoordmogelijkheden, één per regel.")

    def validate_scale_max(self, field: IntegerField) -> None:
        if self.kind.data == "scale":
            low = self.scale_min.data if self.scale_min.data is not None else 1
            high = field.data if field.data is not None else 5
            if high <= low:
                raise ValidationError("Het hoogste getal moet groter zijn dan het laagste.")


class PaperResponseForm(FlaskForm):
    channel = SelectField(
        "Hoe ontvangen",
        choices=[(k, v) for k, v in RESPONSE_CHANNELS.items() if k != "online"],
        validators=[InputRequired(message="Kies hoe de antwoorden binnenkwamen.")],
        **_choice("Kies op papier of telefonisch."),
    )
    invitation_id = SelectField(
        "Van welke uitgenodigde inwoner",
        coerce=to_int,
        validators=[Optional()],
        description="Niet verplicht. Kiest u iemand, dan krijgt die geen herinnering meer en werkt de link niet meer.",
        **_choice("Kies een uitgenodigde inwoner uit de lijst."),
    )


# -- trajectories -----------------------------------------------------------------------------
class TrajectoryForm(FlaskForm):
    topic = StringField(
        "Onderwerp",
        validators=[
            DataRequired(message="Vul het onderwerp in."),
            Length(max=200, message="Hoogstens 200 tekens."),
        ],
    )
    origin = SelectField(
        "Herkomst van het idee of de vraag",
        choices=list(TRAJECTORY_ORIGINS.items()),
        validators=[InputRequired(message="Kies waar het idee of de vraag vandaan komt.")],
        **_choice("Kies inwoner of gemeente."),
    )
    origin_note = TextAreaField(
        "Het idee of de vraag",
        validators=[
            DataRequired(message="Beschrijf het idee of de vraag."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
        description="Bij een vraag van de gemeente: de opdracht, het knelpunt of het voorstel.",
    )
    owner_id = SelectField(
        "Eigenaar",
        coerce=to_int,
        validators=[InputRequired(message="Kies een eigenaar.")],
        **_choice("Kies een medewerker uit de lijst."),
    )


class InformationForm(FlaskForm):
    information = TextAreaField(
        "Beschikbare informatie",
        validators=[Optional(), Length(max=10000, message="Hoogstens 10000 tekens.")],
    )


class DocumentForm(FlaskForm):
    title = StringField(
        "Titel van het beleidsstuk",
        validators=[
            DataRequired(message="Vul de titel van het stuk in."),
            Length(max=200, message="Hoogstens 200 tekens."),
        ],
    )
    url = StringField(
        "Link",
        validators=[
            Optional(),
            _web_link,
            Length(max=500, message="Hoogstens 500 tekens."),
        ],
    )


class ConversationForm(FlaskForm):
    held_on = DutchDateField(
        "Datum",
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE), _not_in_future],
    )
    kind = SelectField(
        "Soort gesprek",
        choices=list(CONVERSATION_KINDS.items()),
        validators=[InputRequired(message="Kies individueel of georganiseerd.")],
        **_choice("Kies individueel of georganiseerd."),
    )
    participants = StringField(
        "Wie deden mee",
        validators=[
            InputRequired(
                message="Beschrijf wie er meededen, bijvoorbeeld 'Burgerplatform, 6 cliënten'."
            ),
            Length(max=500, message="Hoogstens 500 tekens."),
        ],
        description="Beschrijf groepen, geen namen van inwoners.",
    )
    summary = TextAreaField(
        "Wat kwam er op tafel",
        validators=[Optional(), Length(max=10000, message="Hoogstens 10000 tekens.")],
    )


class ParticipantGroupForm(FlaskForm):
    name = StringField(
        "Groep deelnemers",
        validators=[
            DataRequired(message="Vul de groep deelnemers in, bijvoorbeeld 'cliënten'."),
            Length(max=200, message="Hoogstens 200 tekens."),
        ],
    )
    rung = SelectField(
        "Invloed (participatieladder)",
        choices=[(k, f"{plain} ({name.lower()})") for k, (plain, name) in LADDER.items()],
        validators=[InputRequired(message="Kies welke invloed deze groep heeft.")],
        **_choice("Kies een trede van de participatieladder."),
    )


class ContributionForm(FlaskForm):
    source = SelectField(
        "Afkomstig uit",
        choices=list(CONTRIBUTION_SOURCES.items()),
        validators=[InputRequired(message="Kies waar de bijdrage vandaan komt.")],
        **_choice("Kies een van de bronnen."),
    )
    source_note = StringField(
        "Welke bijeenkomst, vragenlijst of welk gesprek",
        validators=[Optional(), Length(max=300, message="Hoogstens 300 tekens.")],
    )
    meeting_id = SelectField(
        "Bijeenkomst van een meedenkgroep",
        coerce=to_int,
        validators=[Optional()],
        description="Niet verplicht. De aanwezigen horen later wat er met de bijdrage is gedaan.",
        **_choice("Kies een bijeenkomst uit de lijst."),
    )
    text = TextAreaField(
        "Bijdrage",
        validators=[
            DataRequired(message="Beschrijf de bijdrage."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class QuestionnaireContributionsForm(FlaskForm):
    """Step 4: take the answers to one open question of a questionnaire in as contributions."""

    question_id = SelectField(
        "Open vraag uit een vragenlijst",
        coerce=to_int,
        validators=[InputRequired(message="Kies een vraag uit de lijst.")],
        description="Elk ingevuld antwoord wordt een bijdrage, nog niet gecontroleerd op volledigheid.",
        **_choice("Kies een vraag uit de lijst."),
    )


class ContributionDecisionForm(FlaskForm):
    decision = SelectField(
        "Meenemen?",
        choices=[("gebruikt", "Meegenomen"), ("niet_gebruikt", "Niet meegenomen")],
        validators=[InputRequired(message="Kies of de bijdrage wordt meegenomen.")],
        **_choice("Kies meegenomen of niet meegenomen."),
    )
    explanation = TextAreaField(
        "Uitleg",
        validators=[Length(max=5000, message="Hoogstens 5000 tekens.")],
        description="Verplicht als de bijdrage niet wordt meegenomen.",
    )

    def validate_explanation(self, field: TextAreaField) -> None:
        if self.decision.data == "niet_gebruikt" and not (field.data or "").strip():
            raise ValidationError("Leg uit waarom deze bijdrage niet wordt meegenomen.")


class InvolvementForm(FlaskForm):
    involvement_ok = SelectField(
        "Is iedereen voldoende betrokken geweest?",
        choices=[("ja", "Ja"), ("nee", "Nee, nog niet")],
        validators=[InputRequired(message="Kies ja of nee.")],
        **_choice("Kies ja of nee."),
    )
    involvement_note = TextAreaField(
        "Toelichting",
        validators=[
            DataRequired(message="Licht toe wie er betrokken waren en of dat genoeg was."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class BackForm(FlaskForm):
    to_step = SelectField(
        "Terug naar",
        coerce=to_int,
        validators=[InputRequired(message="Kies een eerdere stap.")],
        **_choice("Kies een eerdere stap."),
    )
    reason = TextAreaField(
        "Reden",
        validators=[
            DataRequired(message="Geef de reden om terug te gaan."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class AdvanceForm(FlaskForm):
    note = TextAreaField(
        "Toelichting (niet verplicht)",
        validators=[Optional(), Length(max=5000, message="Hoogstens 5000 tekens.")],
    )


class QuestionnaireFeedbackForm(FlaskForm):
    """What the answers led to, mailed to the panel members who answered."""

    feedback_text = TextAreaField(
        "Wat we met de antwoorden hebben gedaan",
        validators=[
            DataRequired(message="Beschrijf wat er met de antwoorden is gedaan."),
            Length(max=10000, message="Hoogstens 10000 tekens."),
        ],
    )


class NextStepsForm(FlaskForm):
    """Step 5: what happens next, so participants hear it with the feedback."""

    next_steps = TextAreaField(
        "Volgende stappen",
        validators=[
            DataRequired(message="Beschrijf de volgende stappen."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class InterimResultForm(FlaskForm):
    """Step 6: a result on the way; the trajectory stays open."""

    interim_text = TextAreaField(
        "Tussenresultaat",
        validators=[
            DataRequired(message="Beschrijf het tussenresultaat."),
            Length(max=5000, message="Hoogstens 5000 tekens."),
        ],
    )


class ResultForm(FlaskForm):
    result_kind = SelectField(
        "Soort resultaat",
        choices=list(RESULT_KINDS.items()),
        validators=[InputRequired(message="Kies het soort resultaat.")],
        **_choice("Kies advies, opdracht of voorstel."),
    )
    result_text = TextAreaField(
        "Resultaat",
        validators=[
            DataRequired(message="Beschrijf het resultaat."),
            Length(max=10000, message="Hoogstens 10000 tekens."),
        ],
    )
    new_trajectory = BooleanField("Dit leidt tot een nieuw traject (weer bij stap 1)")
    new_topic = StringField(
        "Onderwerp van het nieuwe traject",
        validators=[Length(max=200, message="Hoogstens 200 tekens.")],
    )

    def validate_new_topic(self, field: StringField) -> None:
        if self.new_trajectory.data and not (field.data or "").strip():
            raise ValidationError("Vul het onderwerp van het nieuwe traject in.")


STEP_CHOICES = list(STEPS.items())
