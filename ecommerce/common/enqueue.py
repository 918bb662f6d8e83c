"""Queue a Celery task by its name. Services call this instead of importing their app's tasks
module, which imports the services: the dependency goes one way, and a task module is loaded
by its app's `ready()`, so every name is known in every process."""

import logging

from celery import current_app

logger = logging.getLogger(__name__)


def task_enqueue(name: str, *, otherwise: str, **kwargs) -> None:
    """Queue `name(**kwargs)` now. A broker that cannot take it is logged, not raised: the
    change that asked for it has committed, and `otherwise` says what picks the work up."""
    try:
        current_app.tasks[name].delay(**kwargs)
    except Exception:
        logger.warning("could not queue %s %s now; %s", name, kwargs, otherwise, exc_info=True)
