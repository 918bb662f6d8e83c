from django.urls import path

from payments import views

# A return's money, under the return's own path (/api/returns/): the payments app owns refund
# rows, and orders may not depend on it.
app_name = "return-payments"

urlpatterns = [
    path("<id:return_id>/refund/", views.ReturnRefundView.as_view(), name="refund"),
    path("<id:return_id>/credit-note/", views.ReturnCreditNoteView.as_view(), name="credit-note"),
]
