"""The console e-mail backend of the embedded default."""

from email.charset import Charset
from types import SimpleNamespace

from django.core.mail.backends import console

# The summary as plain UTF-8 (8bit), so that a name in Amharic reads as such on the console.
_SUMMARY_CHARSET = Charset("utf-8")
_SUMMARY_CHARSET.body_encoding = None


class ConsoleEmailBackend(console.EmailBackend):
    """Prints each message as Django's console backend does, except that an attachment shows as
    one line (its name, type and size) instead of its base64: a PDF receipt was 800 lines of it.
    What is sent is untouched: the summary is written into the copy made for printing."""

    def write_message(self, message):
        mime = message.message()
        for part in mime.walk():
            if part.get_content_disposition() == "attachment":
                size = len(part.get_payload(decode=True) or b"")
                summary = f"[attachment {part.get_filename()}, {part.get_content_type()}, {size} bytes]"
                del part["Content-Transfer-Encoding"]
                part.set_payload(summary, _SUMMARY_CHARSET)
                part.del_param("charset")  # the attachment's own type stays as it was
        super().write_message(SimpleNamespace(message=lambda: mime))
