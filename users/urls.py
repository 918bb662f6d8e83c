from django.urls import path

from users import views

app_name = "users"

urlpatterns = [
    path("register/", views.UserRegisterView.as_view(), name="register"),
    path("login/", views.UserLoginView.as_view(), name="login"),
    path("token/refresh/", views.UserTokenRefreshView.as_view(), name="token-refresh"),
    path("logout/", views.UserLogoutView.as_view(), name="logout"),
    path("me/", views.UserMeView.as_view(), name="me"),
    path("password/change/", views.UserPasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.UserPasswordResetView.as_view(), name="password-reset"),
    path("otp/request/", views.UserOtpRequestView.as_view(), name="otp-request"),
    path("otp/verify/", views.UserOtpVerifyView.as_view(), name="otp-verify"),
    path("password/reset/confirm/", views.UserPasswordResetConfirmView.as_view(), name="password-reset-confirm"),
]
