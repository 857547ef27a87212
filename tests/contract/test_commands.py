"""The writes and refusals of the library and the command line, on each server kind: what the unit and
CLI layers test on a store in memory or on disk, repeated where a server could get it wrong (a write
that is not all or nothing, history kept apart, rules and corrections evaluated by another engine).

The tests are those of tests/unit and tests/cli, imported: one behaviour, one test, run here on an
Oxigraph server and on Virtuoso. `db` and `run` reach the server through the same library and CLI."""

# ruff: noqa: F401 (the imported tests are collected by pytest here)
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

import ssbkg
from ssbkg.stores import Store

from ..cli.test_claim import (
    test_csv_is_all_or_nothing_and_names_the_row,
    test_dry_run_prints_and_writes_nothing,
    test_every_failing_csv_row_is_named_and_a_publisher_offers_its_reports,
)
from ..cli.test_cli import (
    test_every_batch_records_who_wrote_it_and_export_shows_it,
    test_export_round_trips_into_a_new_store,
    test_failed_load_leaves_the_store_exactly_as_it_was,
    test_reload_replaces_the_graph_and_drop_retires_it,
    test_retract_takes_a_claim_out_of_view_and_keeps_it,
)
from ..cli.test_trust import (
    test_a_file_named_like_another_does_not_replace_its_graph,
    test_a_multi_file_load_without_the_gate_is_all_or_nothing,
    test_an_export_loads_into_a_new_store_with_the_same_answers,
    test_the_graphs_commands_write_are_never_loaded_over,
    test_validate_and_load_agree_on_a_misspelled_term,
)
from ..conftest import GENEROUS_HTTP, seeded_store
from ..corpus import CORPUS
from ..unit.test_by_origin import test_relays_of_one_origin_are_one_line
from ..unit.test_claims import (
    test_a_batch_is_gated_together_and_written_whole_or_not_at_all,
    test_a_claim_recorded_again_with_other_values_corrects_it,
    test_a_retracted_claim_leaves_the_view_and_stays_in_the_store,
    test_the_same_claim_again_is_unchanged_and_writes_nothing,
)
from ..unit.test_dataset import (
    test_construct_and_ask_read_the_graph_too,
    test_from_reads_the_graph_it_names,
    test_what_cannot_mean_what_it_says_is_refused,
)
from ..unit.test_denials import (
    test_a_denial_is_not_a_member,
    test_a_denied_member_is_denied_from_the_day_of_the_denial,
    test_changes_says_it_recorded_a_denial,
    test_denials_lists_who_denied_it_and_when,
    test_the_picture_draws_a_denial_apart_from_a_dispute,
)
from ..unit.test_evidence import (
    test_a_claim_both_reported_and_refuted_is_a_conflict,
    test_candidates_are_known_as_of_their_latest_premise,
    test_changes_lists_what_was_added_changed_and_retracted,
    test_explain_prints_the_chain_of_evidence,
    test_infer_follows_new_data,
    test_infer_names_sunwoda_and_farasis_and_is_idempotent,
    test_infer_works_for_data_named_outside_ssbid,
    test_retractions_lists_what_was_retracted_by_whom_and_why,
    test_the_accepted_view_holds_no_dispute_and_no_unnamed_group,
)
from ..unit.test_loading import refused_clearly
from ..unit.test_one_answer import (
    test_a_ranking_answers_nothing_before_it_was_published,
    test_candidates_and_members_agree_on_inferred_members,
    test_electreks_relay_makes_three_members_known_on_12_february,
    test_explain_as_of_a_day_shows_no_later_source,
)

SERVERS = ["oxigraph-server", "virtuoso"]


@pytest.fixture(params=SERVERS)
def store_spec(
    request: pytest.FixtureRequest, tmp_path: Path, seeded_template: Path, server_urls: dict[str, str]
) -> str:
    """A freshly seeded store on each server kind (the embedded store runs these in tests/unit and tests/cli)."""
    return seeded_store(request.param, tmp_path, seeded_template, server_urls)


@pytest.fixture
def db(store_spec: str) -> Iterator[Store]:
    config = ssbkg.StoreConfig(store_spec, http_timeout=float(GENEROUS_HTTP))
    with ssbkg.open_store(config, write=True) as store:
        yield store


def test_the_bad_input_corpus_is_refused_and_writes_nothing(corpus: Path, db: Store) -> None:
    for name in sorted(CORPUS):
        refused_clearly(name, corpus, db)
