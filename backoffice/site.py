from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.charts import bar_chart
from backoffice.selectors import dashboard_figures
from ecommerce.common.dates import day_display
from ecommerce.common.money import money_display


def _birr(amount) -> str:
    return money_display(amount, "ETB")


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
        return super().index(request, {"dashboard": figures, "charts": charts, **(extra_context or {})})
