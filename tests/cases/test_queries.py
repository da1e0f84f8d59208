"""Query budgets: the case list, the deadline list, the case page and the home page run a fixed number of
queries whatever the number of cases or of records on a case (conventions: pinned in tests)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.selectors import case_home_counts
from core import workdays
from tests.cases.test_records import PDF
from tests.conftest import client_for, register_case

# Measured: list 10, deadlines 7, case page 22 for a supervisor: one per table of the case file, the read's
# audit row (two: the audit chain's head under its lock, then the row) and the audit trail, and 3 outside the
# case (the referral panel, the navbar's bell and agency).
LIST_BUDGET = 11  # +1: the second factor's device (django-otp)
# +1: the data-subject requests (UU 27/2022), one prefetch; +1: the audit chain's head; +1: the agenda items;
# +1: the transfers panel; +1: the second factor's device (django-otp).
CASE_PAGE_BUDGET = 25
DEADLINES_BUDGET = 8  # +1: the open personal-data breaches, for a supervisor; +1: the second factor's device
HOME_PANEL_BUDGET = 2


@pytest.fixture(autouse=True)
def _calendar_cached(db):
    """The working-day calendar reads a year's holidays from the database once, then from its cache: the budgets
    are for pages served with it warm (every year a deadline near today can fall in)."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        workdays.holidays_of(year)


def busy_case(actor, supervisor):
    victims = [services.VictimData(name=f"Korban {i}", sex="P", age=10 + i, violence_types=["fisik", "psikis"])
               for i in range(3)]
    perpetrators = [services.PerpetratorData(sex="L", age=30 + i, relationships={0: "orang_tua", 1: "keluarga",
                                                                                 2: "keluarga"}) for i in range(2)]
    case = register_case(actor, victims=victims, perpetrators=perpetrators, violence_types=None)
    services.case_identify(case=case, actor=actor, case_type="ampk", risk_level="tinggi", responsibility="kabupaten")
    for victim in case.victims.all():
        services.consent_record(case=case, victim=victim, actor=actor, scopes=["layanan", "mediasi"],
                                given_by="wali", form_version="IC-1", parent_is_perpetrator=True)
    for _ in range(2):
        services.assessment_record(case=case, actor=actor, risk_level="tinggi", needs=["need_health"])
        line = services.planned_service_add(case=case, actor=actor, service="kesehatan", provider_user=supervisor,
                                            due_on=timezone.localdate())
        services.accompaniment_record(case=case, actor=actor, occurred_at=timezone.now(), kind="medis")
        services.case_note_add(case=case, actor=actor, text="Catatan")
        services.attachment_add(case=case, actor=actor, document_type="visum", upload=SimpleUploadedFile("a.pdf", PDF))
        for victim in case.victims.all():
            services.service_delivery_record(case=case, victim=victim, actor=actor, service="kesehatan",
                                             delivered_on=timezone.localdate(), planned=line, provider_user=supervisor)
    return case


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["caseworker", "supervisor"])
def test_case_list_queries_do_not_grow_with_cases_or_page_size(personas, regions, persona,
                                                               django_assert_max_num_queries):
    caseworker, user = personas["caseworker"], personas[persona]
    client = client_for(user)
    register_case(caseworker, violence_types=["seksual"], tpks_forms=["perbuatan_cabul"])
    few = count_queries(client, reverse("cases:list"))
    for i in range(30):
        register_case(caseworker, violence_types=["fisik", "psikis"], received_at=timezone.now() - timedelta(days=i))
    many = count_queries(client, reverse("cases:list"))
    second_page = count_queries(client, reverse("cases:list"), page=2)
    filtered = count_queries(client, reverse("cases:list"), overdue="on", violence_type="fisik", sort="risiko")
    assert few == many == second_page
    with django_assert_max_num_queries(LIST_BUDGET):
        client.get(reverse("cases:list"), {"q": "KRB", "overdue": "on"})
    assert filtered <= LIST_BUDGET


def test_case_page_queries_do_not_grow_with_what_the_case_holds(caseworker, supervisor, regions,
                                                                 django_assert_max_num_queries):
    client = client_for(supervisor)
    plain = register_case(caseworker)
    busy = busy_case(caseworker, supervisor)
    assert count_queries(client, reverse("cases:detail", args=[plain.pk])) == \
        count_queries(client, reverse("cases:detail", args=[busy.pk]))
    with django_assert_max_num_queries(CASE_PAGE_BUDGET):
        client.get(reverse("cases:detail", args=[busy.pk]))


def test_deadline_and_home_pages_run_a_fixed_number_of_queries(caseworker, supervisor, regions,
                                                               django_assert_max_num_queries):
    client = client_for(supervisor)
    register_case(caseworker, received_at=timezone.now() - timedelta(days=6))
    few = (count_queries(client, reverse("cases:deadlines")), count_queries(client, reverse("core:home")))
    for i in range(15):
        register_case(caseworker, violence_types=["seksual"], received_at=timezone.now() - timedelta(days=i, hours=1))
    many = (count_queries(client, reverse("cases:deadlines")), count_queries(client, reverse("core:home")))
    assert few == many
    with django_assert_max_num_queries(DEADLINES_BUDGET):
        client.get(reverse("cases:deadlines"))
    # The home page also carries other apps' panels; the case panel itself costs two queries.
    with django_assert_max_num_queries(HOME_PANEL_BUDGET):
        case_home_counts(user=supervisor)

