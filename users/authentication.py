from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication

from ecommerce.common.languages import request_language_for_user
from users.error_codes import UserErrorCode

TOKEN_VERSION_CLAIM = "token_version"
TOKEN_REVOKED = _("This session has ended (password or e-mail changed); log in again.")


class UserJWTAuthentication(JWTAuthentication):
    """SimpleJWT's authentication, which also refuses a token issued before the user's tokens
    were last revoked. It costs no query: the user's row is loaded anyway. The user known, the
    API speaks their language to them, unless the request's Accept-Language chose one."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None:
            request_language_for_user(request, authenticated[0])
        return authenticated

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        # Tokens issued before versions existed carry no claim: they are version 0, so the
        # user's first revocation ends them as well.
        if validated_token.get(TOKEN_VERSION_CLAIM, 0) != user.token_version:
            code = UserErrorCode.TOKEN_REVOKED
            raise AuthenticationFailed({"detail": TOKEN_REVOKED, "code": code}, code=code)
        return user


class UserJWTScheme(SimpleJWTScheme):
    """The OpenAPI bearer scheme; drf-spectacular matches authentication classes exactly."""

    target_class = UserJWTAuthentication
