"""Enforcement's bench data (`manage.py generate_bench_data`): the province's regions, agencies
and officers (`province`), published items (`powers`), what the cases hang on (`world`), cases
with every row (`cases`), bulk cases by COPY (`bulk`) and list revision tasks (`revisions`)."""
