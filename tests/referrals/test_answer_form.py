"""The receiver's answer to a new referral: accepting needs nothing typed, so no required mark stands next to
"Terima rujukan"; the reason is asked only of whoever opens "Tolak rujukan" (issue 14)."""

from tests.conftest import client_for


def _answer_card(html: str) -> str:
    start = html.index('id="answer-heading"')
    return html[start:html.index("</section>", start)]


def test_the_decline_reason_and_its_required_mark_are_folded_under_decline(referral, police_officer):
    card = _answer_card(client_for(police_officer).get(f"/rujukan/{referral.pk}/").content.decode())
    folded = card.index("<details")
    assert card.index("Terima rujukan") < folded
    assert "asteriskField" not in card[:folded] and "required" not in card[:folded]
    assert "Alasan penolakan" in card[folded:] and "asteriskField" in card[folded:]
    assert "<details open" not in card  # closed until someone means to decline


def test_a_decline_without_reason_opens_the_fold_with_the_message(referral, police_officer):
    response = client_for(police_officer).post(f"/rujukan/{referral.pk}/", {"action": "decline",
                                                                            "decline-reason": ""})
    card = _answer_card(response.content.decode())
    assert "<details open" in card and "Alasan penolakan" in card
    referral.refresh_from_db()
    assert referral.status == "baru"
