"""Row counts of every table: what a refused action must leave exactly as it was."""

from django.apps import apps


def table_counts() -> dict[str, int]:
    """{app_label.model: rows} for every concrete model of the project (sessions and the
    sign-in lockout's access log excluded: a request writes those by design)."""
    skip = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed or label in skip:
            continue
        counts[label] = model._default_manager.count()
    return counts


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], after[label]) for label in before if before[label] != after.get(label)}
