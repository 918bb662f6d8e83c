from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from ecommerce.common.throttling import ScopedRateThrottle
from users import services
from users.serializers import (
    LogoutInputSerializer,
    OtpRequestInputSerializer,
    OtpSentOutputSerializer,
    OtpSignInOutputSerializer,
    OtpVerifyInputSerializer,
    PasswordChangeInputSerializer,
    PasswordResetConfirmInputSerializer,
    PasswordResetInputSerializer,
    TokenPairOutputSerializer,
    UserOutputSerializer,
    UserRegisterInputSerializer,
    UserTokenObtainPairSerializer,
    UserTokenRefreshSerializer,
    UserUpdateInputSerializer,
)


class UserRegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(request=UserRegisterInputSerializer, responses={201: UserOutputSerializer})
    def post(self, request):
        serializer = UserRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Without a language of their own, the one they registered in.
        data = {"language": translation.get_language(), **serializer.validated_data}
        user = services.user_create(**data)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class UserLoginView(TokenObtainPairView):
    """Log in with a username or an e-mail address; answers an access and a refresh token."""

    serializer_class = UserTokenObtainPairSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(responses={200: TokenPairOutputSerializer, 401: OpenApiResponse(description="Bad credentials")})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class UserTokenRefreshView(TokenRefreshView):
    """Trade a refresh token for a new pair; the old refresh token is blacklisted."""

    serializer_class = UserTokenRefreshSerializer

    @extend_schema(responses={200: TokenPairOutputSerializer, 401: OpenApiResponse(description="Invalid token")})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class UserLogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=LogoutInputSerializer, responses={205: None})
    def post(self, request):
        serializer = LogoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_logout(user=request.user, refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_205_RESET_CONTENT)


class UserMeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: UserOutputSerializer})
    def get(self, request):
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(
        request=UserUpdateInputSerializer,
        responses={200: UserOutputSerializer},
        description="Changing `email` needs `current_password` and ends every session of the user, this one "
        "included: the answer is the updated profile, and every token issued before (access and refresh) is "
        "refused from the next request on, so the client logs in again with the new address.",
    )
    def patch(self, request):
        serializer = UserUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current_password = data.pop("current_password", "")
        user = services.user_update(user=request.user, data=data, current_password=current_password)
        return Response(UserOutputSerializer(user).data)


class UserPasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeInputSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_change(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserPasswordResetView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(request=PasswordResetInputSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordResetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_reset_request(email=serializer.validated_data["email"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserPasswordResetConfirmView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(request=PasswordResetConfirmInputSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordResetConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_reset_confirm(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserOtpRequestView(APIView):
    """Send a six-digit sign-in code by SMS to an Ethiopian mobile number."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "otp"

    @extend_schema(
        request=OtpRequestInputSerializer,
        responses={
            202: OtpSentOutputSerializer,
            400: OpenApiResponse(description="Not an Ethiopian mobile number (`phone_invalid`)."),
            429: OpenApiResponse(
                description="Too soon after the last code (`otp_resend_too_soon`), this number's codes for the hour "
                "or the day are spent (`otp_phone_limit`), the shop's for the hour are (`otp_shop_limit`), or "
                "this client asked too often; nothing is sent. See Retry-After."
            ),
        },
        examples=[OpenApiExample("A phone number", value={"phone": "0911 23 45 67"}, request_only=True)],
        description="The answer is the same whether or not an account has this number. A new code replaces "
        "the number's earlier one.",
    )
    def post(self, request):
        serializer = OtpRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sent = services.otp_request(phone=serializer.validated_data["phone"], language=translation.get_language())
        body = {
            "detail": gettext("If this number can receive SMS, a code is on its way."),
            "expires_in": sent.expires_in,
            "resend_in": sent.resend_in,
        }
        return Response(OtpSentOutputSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class UserOtpVerifyView(APIView):
    """Sign in (or sign up) with the code of an SMS, or verify a phone for the signed-in account."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "otp"

    @extend_schema(
        request=OtpVerifyInputSerializer,
        responses={
            200: OpenApiResponse(
                response=PolymorphicProxySerializer(
                    component_name="OtpVerifyResult",
                    serializers=[OtpSignInOutputSerializer, UserOutputSerializer],
                    resource_type_field_name=None,
                ),
                description="Anonymous caller: a token pair, as login/ issues it, and whether the account was "
                "created. Signed-in caller: their profile, with this phone verified.",
            ),
            400: OpenApiResponse(
                description="A wrong code (`otp_invalid`); no code to use: expired, used, replaced or its fifth wrong "
                "try (`otp_expired`); not an Ethiopian mobile number (`phone_invalid`)."
            ),
            403: OpenApiResponse(
                description="The account of this phone is disabled (`account_inactive`), or is staff, who sign in "
                "with their password (`password_required`)."
            ),
            409: OpenApiResponse(
                description="The phone is verified on another account (`phone_taken`), also when that account "
                "has just used this same code."
            ),
        },
        examples=[OpenApiExample("A code", value={"phone": "0911234567", "code": "123456"}, request_only=True)],
    )
    def post(self, request):
        serializer = OtpVerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signed_in = request.user if request.user.is_authenticated else None
        user, created = services.otp_verify(
            **serializer.validated_data, language=translation.get_language(), user=signed_in
        )
        if signed_in is not None:
            return Response(UserOutputSerializer(user).data)
        refresh = UserTokenObtainPairSerializer.get_token(user)
        body = {"access": str(refresh.access_token), "refresh": str(refresh), "created": created}
        return Response(OtpSignInOutputSerializer(body).data)
