"""The admin login's lockout (django-axes)."""

from datetime import timedelta

# The admin login (django-axes): after 5 failures for one username from one client, that pair
# is refused (429), even with the right password, until 15 minutes pass without a new failure.
# The API's login has its throttle instead; its failures are recorded and count here too.
AXES_ONLY_ADMIN_SITE = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ecommerce.common.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
