from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backoffice.charts import bar_chart
from backoffice.selectors import dashboard_figures


class ShopAdminSite(admin.AdminSite):
    """The admin, with the shop's dashboard on its front page."""

    site_header = _("Shop administration")
    site_title = _("Shop admin")
    index_title = _("Today at the shop")
    index_template = "backoffice/index.html"

    def index(self, request, extra_context=None):
        figures = dashboard_figures()
        unit = gettext("ETB")
        charts = {
            "revenue": bar_chart([(day.strftime("%d %b"), amount) for day, amount in figures["revenue"]], unit=unit),
            "statuses": bar_chart(list(figures["statuses"].items())),
            "payment_methods": bar_chart(list(figures["payment_methods"].items()), unit=unit),
        }
        return super().index(request, {"dashboard": figures, "charts": charts, **(extra_context or {})})
