"""The peer the shop is measured against: a minimal django-oscar shop with django-oscar-api,
set up the way oscar's "Building your own shop" page and oscar-api's installation page say.
Run only by bench/peers.py with the interpreter of its own virtualenv (bench/oscar-requirements.txt);
the shop never imports it."""
