"""`{{ amount|money:currency }}` in the e-mails: money as people read it, never unrounded."""

from django import template

from ecommerce.common.money import money_display

register = template.Library()
register.filter("money", money_display)
