"""Forms of the platform administration."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from ..municipalities.service import SLUG_PATTERN
from ..themes import SHIPPED
from ..themes.validation import ThemeFileError, check_logo, check_tokens_css


class MunicipalityForm(FlaskForm):
    slug = StringField(
        _l("Korte naam (in de adresbalk)"),
        validators=[
            InputRequired(message=_l("Vul een korte naam in, bijvoorbeeld 'zwolle'.")),
            Regexp(
                SLUG_PATTERN.pattern,
                message=_l(
                    "Gebruik 2 tot 40 kleine letters, cijfers of streepjes; begin met een letter."
                ),
            ),
        ],
    )
    name = StringField(
        _l("Naam"),
        validators=[
            InputRequired(message=_l("Vul de naam van de gemeente in.")),
            Length(max=120, message=_l("De naam mag hoogstens 120 tekens lang zijn.")),
        ],
    )


class PluginToggleForm(FlaskForm):
    plugin = HiddenField(validators=[InputRequired()])
    action = HiddenField(validators=[InputRequired()])


class ThemeForm(FlaskForm):
    """A municipality's theme: a shipped one, optionally with its own tokens file or logo.

    The files are checked here (``intranet.themes.validation``): a refused file gets its
    Dutch reason next to the field, and nothing is stored."""

    base = SelectField(
        _l("Thema"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message=_l("Kies een thema."))],
    )
    tokens = FileField(
        _l("Eigen design tokens (CSS-bestand)"),
        description=_l(
            "Optioneel. Alleen CSS custom properties, bijvoorbeeld "
            "„.utrecht-theme { --utrecht-color-blue-35: #00646b; }”. Komt in plaats van de "
            "design tokens van het gekozen thema, bovenop die van Utrecht."
        ),
        render_kw={"accept": ".css,text/css"},
    )
    logo = FileField(
        _l("Eigen logo (PNG)"),
        description=_l(
            "Optioneel. Een PNG van hoogstens 200 kB en 1200 bij 1200 pixels; SVG wordt niet "
            "aangenomen."
        ),
        render_kw={"accept": ".png,image/png"},
    )
    remove_tokens = BooleanField(_l("Eigen design tokens verwijderen"))
    remove_logo = BooleanField(_l("Eigen logo verwijderen"))

    #: the checked contents, set by validation
    tokens_css: str | None = None
    logo_png: bytes | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base.choices = [(key, str(theme.title)) for key, theme in SHIPPED.items()]

    def validate_base(self, field: SelectField) -> None:
        if field.data not in SHIPPED:
            raise ValidationError(_l("Kies een van de thema's uit de lijst."))

    @staticmethod
    def _upload(field: FileField) -> bytes | None:
        data = field.data
        if not isinstance(data, FileStorage) or not data.filename:
            return None
        return data.read()

    def validate_tokens(self, field: FileField) -> None:
        raw = self._upload(field)
        if raw is None:
            return
        try:
            self.tokens_css = check_tokens_css(raw)
        except ThemeFileError as exc:
            raise ValidationError(str(exc)) from None

    def validate_logo(self, field: FileField) -> None:
        raw = self._upload(field)
        if raw is None:
            return
        try:
            self.logo_png = check_logo(raw)
        except ThemeFileError as exc:
            raise ValidationError(str(exc)) from None
