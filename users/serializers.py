from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer

from ecommerce.common.serializers import ChoiceField, InputSerializer
from users.authentication import TOKEN_VERSION_CLAIM, UserJWTAuthentication

User = get_user_model()


class UserOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "phone",
            "phone_verified",
            "language",
            "sms_notifications",
            "is_staff",
        ]
        read_only_fields = fields


class UserRegisterInputSerializer(InputSerializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    language = ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of the shop's e-mails and messages to this user; without it, the request's.",
    )


class UserUpdateInputSerializer(InputSerializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    language = ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of the shop's e-mails and messages to this user, and of the API's answers when "
        "a request's Accept-Language names none.",
    )
    sms_notifications = serializers.BooleanField(
        required=False, help_text="Whether the shop tells this user of their orders by SMS (default true)."
    )
    current_password = serializers.CharField(
        max_length=128, required=False, write_only=True, help_text="Needed to change `email`."
    )


class PasswordChangeInputSerializer(InputSerializer):
    old_password = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class PasswordResetInputSerializer(InputSerializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(InputSerializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class LogoutInputSerializer(InputSerializer):
    refresh = serializers.CharField(max_length=2048)


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class OtpRequestInputSerializer(InputSerializer):
    # Blank too: whatever is not an Ethiopian mobile number is answered `phone_invalid`.
    phone = serializers.CharField(
        max_length=32,
        allow_blank=True,
        help_text="An Ethiopian mobile number in any usual form: 0911 23 45 67, +251 911-234567.",
    )


class OtpSentOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the code is valid.")
    resend_in = serializers.IntegerField(help_text="Seconds before another code can be asked for.")


class OtpVerifyInputSerializer(OtpRequestInputSerializer):
    # Any text: a code of the wrong shape is a wrong code (a try counted), not a hint.
    code = serializers.CharField(max_length=32, help_text="The six digits of the SMS.")


class OtpSignInOutputSerializer(TokenPairOutputSerializer):
    created = serializers.BooleanField(help_text="Whether this code created the account.")


class UserTokenObtainPairSerializer(TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token[TOKEN_VERSION_CLAIM] = user.token_version
        return token


class UserTokenRefreshSerializer(TokenRefreshSerializer):
    """SimpleJWT's refresh, answering 401 (never a 500) for a deleted user's token and refusing a
    refresh token issued before the user's tokens were revoked; the refresh token rotates."""

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        UserJWTAuthentication().get_user(refresh)
        data = {"access": str(refresh.access_token)}
        refresh.blacklist()
        refresh.set_jti()
        refresh.set_exp()
        refresh.set_iat()
        refresh.outstand()
        data["refresh"] = str(refresh)
        return data
