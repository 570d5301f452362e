"""Publications (issue 12, item 1): a run staff publish is kept for good, as it was, and can be shown again
beside the current figures; runs nobody published are still superseded, so storage does not grow."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from progress import selectors, services
from progress.models import ScoreRun
from targets import services as target_services
from tests.progress.conftest import COUNTY_A, TODAY


@pytest.fixture
def published(plan, stored, bureau):
    """The 2025 figures as the bureau published them (county A's PM2.5 60), then new data (70) recomputed."""
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    services.score_run_publish(run=run, user=bureau)
    stored.loc[(stored["area"] == COUNTY_A) & (stored["date"].astype(str) >= "2025-01-01"), "pm25"] = 70
    services.scores_recompute(years=[2025], today=TODAY)
    services.scores_recompute(years=[2025], today=TODAY)
    run.refresh_from_db()
    return run


def test_a_publication_survives_every_later_recompute_and_publication_unchanged(published, bureau):
    assert published.publication
    assert published.published_by == bureau
    runs = ScoreRun.objects.filter(year=2025)
    assert runs.count() == 2  # the publication and the newest run: the run between them was superseded
    newest = selectors.latest_run(2025, public=True)
    assert newest != published
    services.score_run_publish(run=newest, user=bureau)
    assert set(runs.values_list("pk", flat=True)) == {published.pk, newest.pk}
    a = published.snapshots.get(area__code=COUNTY_A, indicator="pm25", month=0)
    assert a.actual == 60


def test_the_public_sees_a_past_publication_as_it_was_beside_the_current_figures(client, published):
    current = client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()
    assert 'data-figure="actual">70<' in current
    listed = client.get(reverse("progress:publications")).content.decode()
    assert f'data-run="{published.pk}"' in listed
    assert f"?run={published.pk}" in listed
    page = client.get(reverse("progress:county", args=[COUNTY_A]) + f"?run={published.pk}").content.decode()
    assert f'data-publication="{published.pk}"' in page
    assert 'data-figure="actual">60<' in page
    assert '<p class="revision" data-figure="revision">修订值 <span data-value>70</span>' in page
    assert client.get(reverse("progress:home") + f"?run={published.pk}").status_code == 200


def test_a_run_nobody_published_cannot_be_asked_for_as_a_publication(client, published):
    newest = selectors.latest_run(2025, public=False)
    assert not newest.kept_for_good
    assert client.get(reverse("progress:county", args=[COUNTY_A]) + f"?run={newest.pk}").status_code == 404
    assert client.get(reverse("progress:home") + "?run=999999").status_code == 404
    assert f'data-run="{newest.pk}"' not in client.get(reverse("progress:publications")).content.decode()


def test_staff_make_an_auto_published_run_a_publication_from_the_dashboard(client, bureau, plan, stored):
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    assert run.published_at is not None
    assert not run.publication
    client.force_login(bureau)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert "正式发布" in page
    client.post(reverse("progress:score-run-publish", args=[run.pk]))
    run.refresh_from_db()
    assert (run.publication, run.published_by) == (True, bureau)
    assert "正式发布" not in client.get(reverse("progress:dashboard")).content.decode()


def test_a_run_says_which_editions_of_the_rules_its_dates_fall_under(plan, stored_into_2026):
    (run_2025,) = services.scores_recompute(years=[2025], today=TODAY)
    assert run_2025.editions == "2012"
    (run_2026,) = services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    assert (run_2026.as_of, run_2026.editions) == (date(2026, 3, 31), "2012+2026")
