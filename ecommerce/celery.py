import os

from celery import Celery, Task
from kombu import serialization

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecommerce.settings.local")


class ShopTask(Task):
    def apply_async(self, args=None, kwargs=None, **options):
        if not self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, **options)
        # With no broker, tasks run inline. Celery's own inline path still borrows a broker
        # connection only to pass the arguments through the serializer (kombu then warns "No
        # hostname was supplied"); pass them through it here, with no connection at all, so a
        # task still gets exactly what a worker would.
        content_type, encoding, data = serialization.dumps((args or (), kwargs or {}), self.app.conf.task_serializer)
        args, kwargs = serialization.loads(data, content_type, encoding, accept=[content_type])
        return self.apply(args, kwargs, **options)


app = Celery("ecommerce", task_cls=ShopTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task outcomes for /metrics, counted in whichever process runs the task.
import ecommerce.common.metrics  # noqa: E402, F401
