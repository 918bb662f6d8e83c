import factory

from orders.services import order_payment_received
from orders.tests.factories import place_order
from products.tests.factories import ProductFactory
from reviews.models import Review
from users.tests.factories import UserFactory


def buy(*, user, product):
    """A paid order for the product, through checkout and a confirmed payment."""
    order = place_order(user=user, lines=[(product, 1)])
    order_payment_received(order_id=order.pk, payment_ref="test-payment")
    order.refresh_from_db()
    return order


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    user = factory.SubFactory(UserFactory)
    rating = 4
    comment = "Good"
