from programs.rtr_models import *  # noqa: F403
