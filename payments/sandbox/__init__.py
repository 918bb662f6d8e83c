"""A Chapa sandbox: a real HTTP server that speaks Chapa's API, for tests and local use.

Run it with `python -m payments.sandbox` (it needs nothing but the standard library). It
serves `/v1/transaction/initialize`, `/v1/transaction/verify/<tx_ref>` and `/v1/refund/<ref>`
with Chapa's JSON, a checkout page where a person clicks "Pay" or "Fail", calls the
callback URL and sends webhooks signed like Chapa's. Under `/_sandbox/` it lets a test decide
each transaction's fate.
"""
