"""Public search over published items by Chinese words (R3, R9): bigrams, phrases, safety."""

import pytest
from django.db import connection

from enforcement.lookups import tsquery_text
from enforcement.models import PublishedPowerItem
from enforcement.search import search_document
from enforcement.selectors import public as selectors

from .public_helpers import publish

pytestmark = pytest.mark.django_db


def _names(q: str) -> set[str]:
    return set(selectors.search(PublishedPowerItem.objects.all(), q).values_list("name", flat=True))


ENVIRONMENT = [
    {
        "title": "中华人民共和国环境保护法",
        "document_number": "主席令第9号",
        "articles": "第四十五条",
    }
]


@pytest.fixture
def catalogue(agency_a, agency_b):
    publish(agency_a, "食品经营许可", category="licensing")
    publish(agency_a, "对无证经营食品的行政处罚", category="penalty")
    publish(agency_b, "排污许可证核发", category="licensing", bases=ENVIRONMENT)
    publish(
        agency_b,
        "对超标排放污染物的处罚",
        sub_item="责令改正并处罚款",
        category="penalty",
        bases=ENVIRONMENT,
    )


def test_a_two_character_word_finds_every_item_that_contains_it(catalogue):
    """R9: the most common queries are two-character words such as 许可 and 处罚."""
    assert _names("许可") == {"食品经营许可", "排污许可证核发"}
    assert _names("处罚") == {"对无证经营食品的行政处罚", "对超标排放污染物的处罚"}


def test_a_longer_phrase_must_appear_in_order(catalogue):
    assert _names("食品经营许可") == {"食品经营许可"}
    assert _names("许可经营") == set()  # the same characters in another order are no match


def test_words_separated_by_spaces_must_all_appear(catalogue):
    assert _names("食品 处罚") == {"对无证经营食品的行政处罚"}
    assert _names("排污 食品") == set()


def test_one_character_is_a_prefix_and_the_sub_item_is_searched(catalogue):
    assert _names("罚款") == {"对超标排放污染物的处罚"}
    assert "排污许可证核发" in _names("排")


def test_a_query_of_punctuation_only_filters_nothing(catalogue):
    assert len(_names("！？ ")) == 4


@pytest.mark.parametrize(
    "hostile", ["许可' | '处罚", "许可:* & !", "') OR 1=1 --", "\\'许可", "<-> & | ! ( )"]
)
def test_tsquery_syntax_in_the_query_is_never_passed_through(catalogue, hostile):
    """Only the bigram tokens reach the tsquery, each quoted: operators typed by a visitor are
    ignored instead of changing the query or causing a syntax error."""
    text = tsquery_text(hostile)
    for token in text.replace("(", " ").replace(")", " ").split():
        assert token in {"&", "<->"} or (token.startswith("'") and token.rstrip(":*").endswith("'"))
    list(selectors.search(PublishedPowerItem.objects.all(), hostile))  # no database error


def test_the_tsquery_joins_tokens_of_a_phrase_and_phrases():
    assert tsquery_text("行政许可 罚") == "('行政' <-> '政许' <-> '许可') & ('罚':*)"


@pytest.mark.postgres("EXPLAIN and the GIN index are PostgreSQL features")
def test_a_two_character_search_is_answered_from_the_gin_index(agency_a):
    """The query expression must be the index's expression, or the planner cannot use it."""
    for n in range(30):
        name = f"第{n}号事项的许可" if n % 3 else f"第{n}号事项的检查"
        publish(agency_a, name, category="inspection")  # 许可 only where the name says so
    queryset = selectors.search(selectors.published_items(), "许可")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny table: ask whether it *can*
        cursor.execute("SET LOCAL enable_indexscan = off")  # not the browse index's order
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "published_item_search_gin" in plan, plan
    assert len(queryset) == 20


@pytest.mark.postgres("the stored vector and its index exist only on PostgreSQL")
def test_the_gin_index_covers_the_stored_vector_of_the_search_document(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'published_item_search_gin'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns"
            " WHERE table_name = 'enforcement_publishedpoweritem' AND column_name = 'search_vector'"
        )
        (expression,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition
    assert expression == "to_tsvector('simple'::regconfig, search_document)"


@pytest.mark.postgres("the stored vector is a PostgreSQL generated column")
def test_republishing_with_new_text_is_found_by_the_new_text_only(agency_a):
    """The stored vector follows every write of the search document (a republication)."""
    item = publish(agency_a, "食品经营许可")
    PublishedPowerItem.objects.filter(pk=item.pk).update(
        search_document=search_document("排污许可")
    )
    assert _names("排污") == {"食品经营许可"}
    assert _names("食品") == set()


@pytest.mark.postgres("EXPLAIN is a PostgreSQL feature")
def test_a_common_word_is_read_in_list_order_through_an_index(agency_a):
    """许可 is in almost half of all items: the first page must not sort every match."""
    for n in range(30):
        publish(agency_a, f"第{n}号事项的许可")
    queryset = selectors.search(selectors.published_list(), "许可")[:21]
    with connection.cursor() as cursor:
        # A tiny table: ask whether an index *can* give the order (the bench shows it does).
        cursor.execute("SET LOCAL enable_sort = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "published_item_list_order" in plan and "Sort" not in plan, plan


def test_each_result_row_shows_its_labels_and_its_local_publication_date(
    agency_a, django_assert_num_queries
):
    """The table's labels are translated once per page and each row's date is worked out before
    rendering (issue 15: rendering was most of a search's cost); the page reads the same."""
    from datetime import UTC, datetime

    from django.test import Client

    for n in range(3):
        publish(
            agency_a, f"第{n}号食品经营许可", published_at=datetime(2024, 1, 1, 17, 0, tzinfo=UTC)
        )
    with django_assert_num_queries(5):  # top regions, the three tiers' keys, the page's rows
        html = Client().get("/powers/", {"q": "食品经营"}).content.decode()
    assert html.count('data-label="事项编码"') == 3
    assert html.count('data-label="公布时间" class="meta">2024-01-02<') == 3  # 01:00 in Shanghai
    for label in ("职权类别", "行使层级", "实施主体"):
        assert html.count(f'data-label="{label}"') == 3
