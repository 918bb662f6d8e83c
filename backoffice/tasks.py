from celery import shared_task


@shared_task
def dashboard_summary_refresh() -> None:
    from backoffice.services import dashboard_summary_refresh

    dashboard_summary_refresh()
