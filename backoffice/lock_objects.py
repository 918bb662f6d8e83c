from backoffice.models import DashboardSummary


def dashboard_summary_lock() -> DashboardSummary:
    """Lock the summary's one row (made on first use): two counts at once would each delete and
    insert the same figures, and one would fail on the unique day and method."""
    summary, _ = DashboardSummary.objects.select_for_update().get_or_create(pk=1, defaults={"refreshed_at": None})
    return summary
