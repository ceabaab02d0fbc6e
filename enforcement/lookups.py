"""The one place where a public search query becomes SQL: the `bigram_search` lookup.

`PublishedPowerItem.objects.filter(search_document__bigram_search="行政 许可")`

On PostgreSQL it is `search_vector @@ to_tsquery('simple', %s)`, where search_vector is the
stored `to_tsvector('simple', search_document)` that migration `0004_pub_search_index` adds with
its GIN index (see there why stored). The tsquery text is built here from the tokens of
`enforcement.search.query_phrases` only, each quoted as a lexeme, and sent as a bound parameter:
user text never becomes tsquery syntax or SQL. On SQLite (development only) each phrase is a
LIKE over the space-separated tokens.
"""

from django.db.models import Lookup

from .models import PublishedPowerItem
from .search import query_phrases

# The generated tsvector columns (PostgreSQL only) beside each document: migration 0004 added
# search_vector, the ranking migration the other two.
VECTOR_COLUMNS = {
    "search_document": "search_vector",
    "search_title": "search_title_vector",
    "search_bases": "search_bases_vector",
}


def _lexeme(token: str) -> str:
    """A token quoted as a tsquery lexeme; quotes and backslashes inside are escaped."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery_term(token: str) -> str:
    # A one-character query is a prefix match (罚 finds 罚款); the document's tokens are pairs.
    return _lexeme(token) + (":*" if len(token) == 1 else "")


def tsquery_text(query: str) -> str:
    """The tsquery for `query`: tokens of a phrase joined by <->, phrases joined by &."""
    return " & ".join(
        "(" + " <-> ".join(_tsquery_term(token) for token in phrase) + ")"
        for phrase in query_phrases(query)
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class BigramSearch(Lookup):
    """True when the document holds every phrase of the query (no phrase: every row)."""

    lookup_name = "bigram_search"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_postgresql(self, compiler, connection):
        tsquery = tsquery_text(self.rhs)
        if not tsquery:
            return "TRUE", []
        column = VECTOR_COLUMNS[self.lhs.target.name]
        vector = f"{compiler.quote_name_unless_alias(self.lhs.alias)}.{column}"
        return f"{vector} @@ to_tsquery('simple'::regconfig, %s)", [tsquery]

    def as_sql(self, compiler, connection):
        """The development fallback (SQLite): each phrase's tokens, in order, between spaces."""
        lhs, lhs_params = self.process_lhs(compiler, connection)
        phrases = query_phrases(self.rhs)
        if not phrases:
            return "1 = 1", []
        clauses, params = [], []
        for phrase in phrases:
            # A one-character token is a prefix: "% 罚" matches " 罚款" and a final " 罚".
            tail = "%" if len(phrase) == 1 and len(phrase[0]) == 1 else " %"
            clauses.append(f"(' ' || {lhs} || ' ') LIKE %s ESCAPE '\\'")
            params += [*lhs_params, "% " + _like_escape(" ".join(phrase)) + tail]
        return " AND ".join(clauses), params


# Only the published copy has the stored vectors, so only its documents get the lookup.
for _name in VECTOR_COLUMNS:
    PublishedPowerItem._meta.get_field(_name).register_lookup(BigramSearch)
