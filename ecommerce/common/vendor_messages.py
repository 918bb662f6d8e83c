"""Django's, DRF's and SimpleJWT's own messages that the API can answer with.

None of them ships Amharic (Django's admin does, its core and `auth` do not), so the project's
catalogue (locale/) translates them; Django looks there first. They are listed here, marked and
never called, so that making the catalogues keeps them, and a test holds each to a message its
package really has (ecommerce/common/tests/test_translations.py). Plural messages are marked
with `ngettext_lazy`, as their packages mark them.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

DJANGO = [
    # model fields and validators (full_clean in the services)
    _("This field cannot be null."),
    _("This field cannot be blank."),
    _("Value %(value)r is not a valid choice."),
    _("%(model_name)s with this %(field_label)s already exists."),
    _("Constraint “%(name)s” is violated."),
    _("Enter a valid value."),
    _("Enter a valid email address."),
    _("Enter a valid URL."),
    _("Enter a number."),
    _("Enter a whole number."),
    _("Null characters are not allowed."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is greater than or equal to %(limit_value)s."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    # the password validators (settings.AUTH_PASSWORD_VALIDATORS) and the user's fields they name
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    _("The password is too similar to the %(verbose_name)s."),
    _("This password is too common."),
    _("This password is entirely numeric."),
    _("username"),
    _("first name"),
    _("last name"),
    _("email address"),
]

DRF = [
    # fields
    _("This field is required."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("Not a valid string."),
    _("Must be a valid boolean."),
    _("Must be a valid UUID."),
    _("A valid integer is required."),
    _("A valid number is required."),
    _("String value too large."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this field has at least {min_length} characters."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Ensure that there are no more than {max_digits} digits in total."),
    _("Ensure that there are no more than {max_decimal_places} decimal places."),
    _("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
    _("Expected a datetime but got a date."),
    _("Expected a date but got a datetime."),
    _("Surrogate characters are not allowed: U+{code_point:X}."),
    _('"{input}" is not a valid choice.'),
    _('Expected a list of items but got type "{input_type}".'),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("This list may not be empty."),
    _("This selection may not be empty."),
    _("Ensure this field has at least {min_length} elements."),
    _("Ensure this field has no more than {max_length} elements."),
    _("Value must be valid JSON."),
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _('Invalid pk "{pk_value}" - object does not exist.'),
    _("Incorrect type. Expected pk value, received {data_type}."),
    _("No file was submitted."),
    _("The submitted data was not a file. Check the encoding type on the form."),
    _("The submitted file is empty."),
    _("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    _("This field must be unique."),
    # errors of a whole request
    _("Invalid input."),
    _("Malformed request."),
    _("Incorrect authentication credentials."),
    _("Authentication credentials were not provided."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _("Invalid page."),
    _('Method "{method}" not allowed.'),
    _("Could not satisfy the request Accept header."),
    _('Unsupported media type "{media_type}" in request.'),
    _("A server error occurred."),
]

SIMPLEJWT = [
    _("Authorization header must contain two space-delimited values"),
    _("Given token not valid for any token type"),
    _("Token contained no recognizable user identification"),
    _("User not found"),
    _("User is inactive"),
    _("Token is invalid"),
    _("Token is expired"),
    _("Token is invalid or expired"),
    _("Token is blacklisted"),
    _("Token has no id"),
    _("Token has no type"),
    _("Token has wrong type"),
    _("No active account found with the given credentials"),
]
