"""Dates for people in the e-mails and the back office, in the active language and local time:
`{{ order.created_at|date_display }}`, and a deadline with its time of day
`{{ order.expires_at|datetime_display }}`. (The PDFs call ecommerce.common.dates directly.)
Like Django's `|date`, a missing value prints nothing."""

from django import template

from ecommerce.common.dates import date_display as _date_display

register = template.Library()


@register.filter
def date_display(value):
    return _date_display(value) if value else ""


@register.filter
def datetime_display(value):
    return _date_display(value, with_time=True) if value else ""
