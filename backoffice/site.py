from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backoffice.charts import bar_chart
from backoffice.selectors import dashboard_figures
from ecommerce.common.dates import date_display, day_display, time_display
from ecommerce.common.money import money_display


def _birr(amount) -> str:
    return money_display(amount, "ETB")


def _counted(refreshed_at) -> str:
    """How old the sales figures are: the periodic task counts them every minute."""
    if refreshed_at is None:
        return gettext("The sales figures are counted every minute; the first count has not run yet.")
    same_day = timezone.localdate(refreshed_at) == timezone.localdate()
    when = time_display(refreshed_at) if same_day else date_display(refreshed_at, with_time=True)
    return gettext("Sales figures as of %(when)s; they are counted again every minute.") % {"when": when}


class ShopAdminSite(admin.AdminSite):
    """The admin, with the shop's dashboard on its front page."""

    site_header = _("Shop administration")
    site_title = _("Shop admin")
    index_title = _("Today at the shop")
    index_template = "backoffice/index.html"

    def index(self, request, extra_context=None):
        figures = dashboard_figures()
        charts = {
            "revenue": bar_chart([(day_display(day), amount) for day, amount in figures["revenue"]], display=_birr),
            "statuses": bar_chart(list(figures["statuses"].items())),
            "payment_methods": bar_chart(list(figures["payment_methods"].items()), display=_birr),
        }
        context = {"dashboard": figures, "charts": charts, "counted": _counted(figures["refreshed_at"])}
        return super().index(request, {**context, **(extra_context or {})})
