"""A mailing's title and progress are stored as message ids with their values, and shown in
the language of whoever watches: the job itself runs in Dutch, the coordinator may read
English (before, both were finished Dutch sentences on an English page)."""

from __future__ import annotations

from test_meedenkgroepen_questionnaires import _panel, _questionnaire
from test_meedenkgroepen_support import BASE

from intranet.extensions import db
from intranet.jobs.models import Job
from intranet.testing.helpers import post, signed_in
from plugins.meedenkgroepen.models import Questionnaire

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture

TITLE = "Hoe gaat het met de Wmo?"


def test_a_mailing_reads_in_the_language_of_whoever_watches_it(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    qid = _questionnaire(demo, _panel(demo, 3))
    smtp.refuse("lid2@example.org")
    c = signed_in(demo, "zaanstad", "coordinator")
    assert post(c, f"{BASE}/vragenlijsten/{qid}/verzenden").status_code == 302
    with demo.app_context():
        job = db.session.get(Job, db.session.get(Questionnaire, qid).send_job_id)
        # stored untranslated: the source text and its values, not a finished sentence
        assert job.title == "Versturen vragenlijst: %(title)s"
        assert job.title_params == {"title": TITLE}
        assert job.message_params == {"sent": 2, "total": 3, "failed": 1, "attempts": 3}

    listed = demo.test_cli_runner().invoke(args=["intranet", "jobs"]).output
    assert f"Versturen vragenlijst: {TITLE}" in listed and "%(" not in listed

    dutch = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert f"Versturen vragenlijst: {TITLE}" in dutch
    assert "Uitnodigingen verzonden: 2 van 3; 1 mislukt na 3 pogingen." in dutch

    assert c.get(f"/taal/en?next={BASE}/").status_code == 302
    english = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert f"Sending the questionnaire: {TITLE}" in english
    assert "Invitations sent: 2 of 3; 1 failed after 3 attempts. See the list and try again." in (
        english
    )
    assert "Uitnodigingen verzonden" not in english and "Versturen vragenlijst" not in english


def test_a_reminder_and_a_retry_have_titles_of_their_own(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    qid = _questionnaire(demo, _panel(demo, 2))
    smtp.refuse("lid1@example.org")
    c = signed_in(demo, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    smtp.refuse()
    assert post(c, f"{BASE}/vragenlijsten/{qid}/opnieuw").status_code == 302
    assert c.get(f"/taal/en?next={BASE}/").status_code == 302
    english = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert f"Sending again: {TITLE}" in english
    assert "Invitations sent: 1 of 1." in english


def test_a_send_during_a_mail_outage_says_nothing_went_out(demo, smtp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The mail server is down (nothing listens on its port) while the questionnaire is sent:
    the page says at the status that no invitation went out and leads to the failed mails;
    once the server is back, sending the failed ones again clears it."""
    from intranet_dev.slapd import free_port

    qid = _questionnaire(demo, _panel(demo, 2))
    c = signed_in(demo, "zaanstad", "coordinator")
    monkeypatch.setitem(demo.config, "SMTP_PORT", free_port())  # nobody listens there
    assert post(c, f"{BASE}/vragenlijsten/{qid}/verzenden").status_code == 302
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "Verzonden (geen uitnodiging afgeleverd)" in page
    assert 'id="niets-verstuurd"' in page and 'href="#mislukt"' in page and 'id="mislukt"' in page
    assert "Verstuur de mislukte uitnodigingen opnieuw zodra de mail weer werkt." in page
    assert smtp.messages == []

    monkeypatch.undo()  # the mail server is back
    assert post(c, f"{BASE}/vragenlijsten/{qid}/opnieuw").status_code == 302
    assert len(smtp.messages) == 2
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "geen uitnodiging afgeleverd" not in page and 'id="niets-verstuurd"' not in page
